"""The clerk's review in the browser, the HTTP API and the HTML report (GitHub issue 7).

- :mod:`.app`: FastAPI app factory ``create_app(db_path, max_upload_bytes=...)``
- :mod:`.store`: review state in SQLite
- :mod:`.review`: corrections, reviewed view and export
- :mod:`.server`: ``serve(host, port, db_path)`` with uvicorn
- :mod:`.report`: ``write_report(out_dir, output)``, one self-contained HTML file
"""
