"""The clerk's review in the browser, the HTTP API and the HTML report (GitHub issue 7).

- :mod:`.app`: FastAPI app factory ``create_app(db_path, max_upload_bytes=...)``
- :mod:`.routes`: the API's routers (pages, health, documents, reviews, exports), sharing
  :class:`.state.AppState` (store, worker pool, settings) through a dependency
- :mod:`.bodies`, :mod:`.uploads`, :mod:`.errors`: request bodies, upload parsing, error
  replies and the body size limit
- :mod:`.store`: review state in SQLite
- :mod:`.review`: corrections, reviewed view and export
- :mod:`.server`: ``serve(host, port, db_path)`` with uvicorn
- :mod:`.report`: ``write_report(out_dir, output)``, one self-contained HTML file
"""
