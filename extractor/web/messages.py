"""The clerk's Vietnamese wording of the server's errors (the ``message`` of an error body).

``detail`` stays in English for programs and logs; the review page shows ``message``, so
a clerk never reads a raw validation message.
"""

from __future__ import annotations

from typing import Optional

STATUS = {
    400: "Yêu cầu không hợp lệ.",
    403: "Yêu cầu bị từ chối.",
    404: "Không tìm thấy văn bản hoặc chỉ đạo này.",
    409: "Dữ liệu đã thay đổi: hãy tải lại trang rồi làm lại.",
    413: "Tệp quá lớn.",
    415: "Định dạng không được hỗ trợ: hãy gửi tệp hoặc văn bản dán.",
    422: "Dữ liệu gửi lên không hợp lệ.",
    500: "Lỗi máy chủ: thao tác chưa được thực hiện.",
    503: "Máy chủ đang bận: hãy thử lại sau ít phút.",
    504: "Trích xuất quá lâu nên đã dừng.",
}

READ_ERRORS = {
    "not_found": "không tìm thấy tệp",
    "permission": "không có quyền đọc tệp",
    "empty": "tệp rỗng",
    "binary": "tệp không phải văn bản (dữ liệu nhị phân)",
    "encoding": "không đọc được bảng mã của tệp",
    "corrupt": "tệp bị hỏng",
    "unsupported": "định dạng chưa hỗ trợ, hãy chuyển sang .docx",
    "scanned_pdf": "PDF là ảnh quét, không có lớp chữ",
    "too_large": "tệp quá lớn",
    "is_directory": "đây là thư mục, không phải tệp",
    "symlink_loop": "liên kết vòng",
    "outside_root": "liên kết ra ngoài thư mục",
}

FIELDS = {
    "text": "Văn bản", "doc_date": "Ngày văn bản", "file": "Tệp", "reviewer": "Người duyệt",
    "action": "Nhiệm vụ", "actor": "Cơ quan chủ trì", "coactors": "Cơ quan phối hợp",
    "issuer": "Người chỉ đạo", "report_to": "Báo cáo cho", "topic": "Nội dung",
    "purpose": "Mục đích", "deadline_date": "Thời hạn", "modality": "Loại chỉ đạo",
    "sector": "Lĩnh vực", "version": "Phiên bản", "start": "Vị trí đầu", "end": "Vị trí cuối",
    "fields": "Các trường sửa",
}  # fmt: skip

_PROBLEMS = {  # pydantic error type prefix -> what is wrong, in Vietnamese
    "missing": "chưa được điền",
    "string_too_long": "quá dài",
    "string_too_short": "không được để trống",
    "date": "không phải ngày hợp lệ (ngày/tháng/năm)",
    "literal_error": "không phải lựa chọn hợp lệ",
    "enum": "không phải lựa chọn hợp lệ",
    "extra_forbidden": "không phải trường có thể sửa",
    "greater_than_equal": "không hợp lệ",
    "int": "phải là số",
    "json_invalid": "không phải JSON hợp lệ",
    "value_error": "chứa ký tự không hợp lệ",
}


def read_error(kind: str, name: Optional[str]) -> str:
    """A reader's failure, naming the file."""
    what = READ_ERRORS.get(kind, "không đọc được tệp")
    return f"{name or 'Văn bản'}: {what}."


def validation(errors: list[dict]) -> str:
    """The first problem of a request body, naming the field as the page labels it."""
    if not errors:
        return STATUS[422]
    first = errors[0]
    names = [str(p) for p in first.get("loc", ()) if p not in ("body", "fields")]
    field = next((FIELDS[n] for n in reversed(names) if n in FIELDS), None)
    kind = first.get("type") or ""
    problem = next((v for k, v in _PROBLEMS.items() if kind.startswith(k)), "không hợp lệ")
    return f"{field}: {problem}." if field else f"Dữ liệu gửi lên {problem}."


def for_status(status: int) -> str:
    """The generic message of an HTTP status."""
    return STATUS.get(status, STATUS[500] if status >= 500 else STATUS[400])
