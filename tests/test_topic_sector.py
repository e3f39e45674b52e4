"""Topic from the action's object, and the sector from keywords and the classifier: tables
of made-up directives, and the fields' provenance pinned."""

from __future__ import annotations

import pytest

from extractor.sector import by_rules, combine, keyword_hits, label_of, sectors
from extractor.topic import RULE, object_topic
from extractor.topic_scope import RULE_HEADING, RULE_LEAD_IN

TOPICS = [
    # (sentence, action as the assembler cuts it, expected topic or None)
    ("Giao Sở Tư pháp rà soát quy định về đấu thầu qua mạng.",
     "rà soát quy định về đấu thầu qua mạng", "quy định về đấu thầu qua mạng"),
    ("Các xã tăng cường công tác phòng cháy, chữa cháy tại các chợ.",
     "tăng cường công tác phòng cháy, chữa cháy tại các chợ", "phòng cháy, chữa cháy tại các chợ"),
    ("Sở Xây dựng khẩn trương hoàn thiện hồ sơ dự án đường ven biển.",
     "hoàn thiện hồ sơ dự án đường ven biển", "hồ sơ dự án đường ven biển"),
    ("Các địa phương không để xảy ra tình trạng ách tắc hàng hóa tại cửa khẩu.",
     "không để xảy ra tình trạng ách tắc hàng hóa tại cửa khẩu",
     "tình trạng ách tắc hàng hóa tại cửa khẩu"),
    ("Sở Tài chính bố trí đủ vốn cho các dự án chuyển tiếp.",
     "bố trí đủ vốn cho các dự án chuyển tiếp", "vốn cho các dự án chuyển tiếp"),
    ("Sở Nông nghiệp và Môi trường hướng dẫn người dân chuyển đổi cơ cấu cây trồng.",
     "hướng dẫn người dân chuyển đổi cơ cấu cây trồng", "cơ cấu cây trồng"),
    ("Sở Y tế kiểm tra chặt chẽ điều kiện an toàn thực phẩm, bảo đảm không để xảy ra ngộ độc.",
     "kiểm tra chặt chẽ điều kiện an toàn thực phẩm, bảo đảm không để xảy ra ngộ độc",
     "điều kiện an toàn thực phẩm"),
    ("Công an tỉnh tiếp tục thực hiện.", "tiếp tục thực hiện", None),
    ("Các xã không được lơ là khi nước đã rút.", "không được lơ là khi nước đã rút", None),
    # a listed phrase with a comma ("phòng, chống") is one noun, not a new verb phrase
    ("Các huyện vận động nhân dân ủng hộ Quỹ phòng, chống thiên tai.",
     "vận động nhân dân ủng hộ Quỹ phòng, chống thiên tai", "Quỹ phòng, chống thiên tai"),
    ("Sở Y tế cấp phát hóa chất cho các xã vùng lũ trong những ngày tới.",
     "cấp phát hóa chất cho các xã vùng lũ trong những ngày tới", "hóa chất cho các xã vùng lũ"),
    # "trực tiếp" leads the verb like "khẩn trương"; alone it names nothing
    ("Chủ tịch UBND các xã trực tiếp chỉ đạo công tác phòng, chống dịch trên địa bàn.",
     "trực tiếp chỉ đạo công tác phòng, chống dịch trên địa bàn", "phòng, chống dịch trên địa bàn"),
    ("Chủ tịch UBND huyện trực tiếp chỉ đạo.", "trực tiếp chỉ đạo", None),
    # the second half of a split verb is not the object ("giữ vững", "làm sạch", "tối đa")
    ("Ngân hàng Nhà nước giữ vững nền tảng vĩ mô.", "giữ vững nền tảng vĩ mô", "nền tảng vĩ mô"),
    ("Các sở huy động tối đa máy móc, nhân lực.", "huy động tối đa máy móc, nhân lực",
     "máy móc, nhân lực"),
    # a leading share is not the topic; a comparison with a figure ends it
    ("Các sở giảm ít nhất 10% lượng điện tiêu thụ.", "giảm ít nhất 10% lượng điện tiêu thụ",
     "lượng điện tiêu thụ"),
    ("Các xã duy trì tỷ lệ hồ sơ nộp trực tuyến trên 90%.",
     "duy trì tỷ lệ hồ sơ nộp trực tuyến trên 90%", "tỷ lệ hồ sơ nộp trực tuyến"),
    ("Sở Công Thương chỉ đạo tắt đèn quảng cáo sau 22 giờ.", "chỉ đạo tắt đèn quảng cáo sau 22 giờ",
     "đèn quảng cáo"),
    # after "việc" the process is the object, verb and all
    ("Bộ Tài chính hướng dẫn việc bố trí vốn cho các dự án lưới điện.",
     "hướng dẫn việc bố trí vốn cho các dự án lưới điện", "bố trí vốn cho các dự án lưới điện"),
    ("Các bộ không để việc lấy ý kiến kéo dài.", "không để việc lấy ý kiến kéo dài",
     "lấy ý kiến kéo dài"),
    ("Văn phòng Chính phủ theo dõi, đôn đốc việc thực hiện.", "theo dõi, đôn đốc việc thực hiện",
     None),
    ("Bộ Xây dựng tổ chức thực hiện nghiêm các nội dung trên.",
     "tổ chức thực hiện nghiêm các nội dung trên", "nội dung trên"),
    # an outcome drops its adverbs and determiners too
    ("Các sở không để phát sinh thêm nhiệm vụ quá hạn.", "không để phát sinh thêm nhiệm vụ quá hạn",
     "nhiệm vụ quá hạn"),
    ("Các xã không để kéo dài.", "không để kéo dài", None),
    # "hành vi", "tình trạng" list verb phrases: the comma does not end them
    ("Công an tỉnh xử lý nghiêm các hành vi trộm cắp điện, phá hoại lưới điện.",
     "xử lý nghiêm các hành vi trộm cắp điện, phá hoại lưới điện",
     "hành vi trộm cắp điện, phá hoại lưới điện"),
    # a listed addressee led by a body, then the content verb
    ("Huyện vận động các doanh nghiệp, nhà hảo tâm chăm lo Tết cho hộ nghèo.",
     "vận động các doanh nghiệp, nhà hảo tâm chăm lo Tết cho hộ nghèo", "Tết cho hộ nghèo"),
    # a preposition right after the verb is not the object; "đưa X vào tiêu chí" ends at X
    ("Các xã trực canh tại các đoạn đường bị ngập sâu.",
     "trực canh tại các đoạn đường bị ngập sâu", "đoạn đường bị ngập sâu"),
    ("Sở Nội vụ đưa kết quả cải cách hành chính vào tiêu chí đánh giá cán bộ.",
     "đưa kết quả cải cách hành chính vào tiêu chí đánh giá cán bộ", "kết quả cải cách hành chính"),
    # an advising verb with no one addressed: the content verb after it is not the object
    ("Sở Tài chính tham mưu bố trí kinh phí từ nguồn dự phòng ngân sách.",
     "tham mưu bố trí kinh phí từ nguồn dự phòng ngân sách",
     "kinh phí từ nguồn dự phòng ngân sách"),
    ("Các sở không được gửi báo cáo chung chung.", "không được gửi báo cáo chung chung",
     "báo cáo chung chung"),
    ("Bộ Y tế rút kinh nghiệm về việc chậm trễ nêu trên.",
     "rút kinh nghiệm về việc chậm trễ nêu trên", "chậm trễ nêu trên"),
    # ", không …" ends the object, unless "không" already runs through it as a list
    ("Các xã bảo đảm người dân được phục vụ thông suốt, không bị gián đoạn.",
     "bảo đảm người dân được phục vụ thông suốt, không bị gián đoạn",
     "người dân được phục vụ thông suốt"),
    ("Công an xử lý các phương tiện không có giấy phép, không đăng ký.",
     "xử lý các phương tiện không có giấy phép, không đăng ký",
     "phương tiện không có giấy phép, không đăng ký"),
    ("Công ty vận hành hồ chứa đúng quy trình.", "vận hành hồ chứa đúng quy trình", "hồ chứa"),
]  # fmt: skip


@pytest.mark.parametrize("sentence,action,expected", TOPICS)
def test_topic_is_the_object_of_the_action(sentence, action, expected):
    from extractor.pipeline import build

    doc = build("rules")(sentence)
    start = sentence.index(action)
    found = object_topic(doc, start, start + len(action))
    assert (sentence[found[0]:found[1]] if found else None) == expected


GOVERNED = [
    # (text, [(topic, rule id) per directive in order]): the innermost "Về …"/"Đối với …"
    # opener governs (GUIDELINE 12.2 rule 1), else the action's object (rule 2).
    ("Thứ hai, về chuyển đổi số. Giao Sở Khoa học và Công nghệ hoàn thành kết nối dữ liệu "
     "dân cư trước ngày 30/6/2025.", [("chuyển đổi số", RULE_HEADING)]),
    ("Thứ ba, về thu, chi ngân sách. Giao Sở Tài chính rà soát các khoản chi thường xuyên.",
     [("thu, chi ngân sách", RULE_HEADING)]),
    ("Về giải ngân vốn đầu tư công, Chủ tịch UBND tỉnh yêu cầu các sở, ngành rà soát từng dự "
     "án; kiên quyết điều chuyển vốn của các dự án chậm giải ngân.",
     [("giải ngân vốn đầu tư công", RULE_LEAD_IN), ("giải ngân vốn đầu tư công", RULE_LEAD_IN)]),
    ("3. Về trật tự đô thị, Chủ tịch UBND tỉnh yêu cầu UBND thành phố:\nKiểm tra các công "
     "trình lấn chiếm vỉa hè.\nXử lý nghiêm các vi phạm về quảng cáo.\n4. Sở Y tế tăng cường "
     "kiểm tra an toàn thực phẩm.",
     [("trật tự đô thị", RULE_HEADING), ("trật tự đô thị", RULE_HEADING),
      ("an toàn thực phẩm", RULE)]),
    # the opener names who must act, not what about (rule 4)
    ("Về phía UBND các huyện, khẩn trương rà soát danh sách hộ nghèo.",
     [("danh sách hộ nghèo", RULE)]),
    ("Đối với các bộ, ngành, tôi yêu cầu khẩn trương hoàn thiện hồ sơ dự án cầu Cần Thơ 2.",
     [("hồ sơ dự án cầu Cần Thơ 2", RULE)]),
    # the object ends before the addressee of a report, a condition, a manner complement
    ("UBND huyện chỉ đạo các xã báo cáo kết quả về UBND tỉnh (qua Sở Tài chính) trước ngày "
     "10/12/2025.", [("kết quả", RULE)]),
    ("Giao Sở Nội vụ rút ngắn thời gian giải quyết hồ sơ.", [("thời gian giải quyết hồ sơ", RULE)]),
    # a numbered title line without a full stop governs the lines below, ";" and brackets
    # inside it (a Government resolution's "1. Về tình hình …; việc triển khai …")
    ("1. Về tình hình kinh tế - xã hội quý III; việc triển khai Nghị quyết số 01/NQ-CP\n"
     "Chính phủ yêu cầu:\na) Bộ Tài chính kiểm soát chặt chẽ bội chi ngân sách.\n"
     "b) Bộ Xây dựng theo dõi sát thị trường bất động sản.",
     [("tình hình kinh tế - xã hội quý III; việc triển khai Nghị quyết số 01/NQ-CP",
       RULE_HEADING)] * 2),
    ("3. Về dự án Luật Quản lý thuế (sửa đổi)\nGiao Bộ Tài chính hoàn thiện hồ sơ dự án Luật.",
     [("dự án Luật Quản lý thuế (sửa đổi)", RULE_HEADING)]),
]  # fmt: skip


@pytest.mark.parametrize("text,expected", GOVERNED)
def test_the_governing_opener_is_the_topic(extract, text, expected):
    doc = extract(text, mode="rules")
    assert [(d.topic.text, d.topic.source) for d in doc.directives] == expected


def test_extracted_topics_say_which_rule_read_them(extract):
    doc = extract("1. Về giải phóng mặt bằng:\na) Giao Sở Xây dựng rà soát hồ sơ bồi thường "
                  "của các hộ dân.\n2. Giao Sở Tài chính bố trí đủ vốn cho dự án cầu Mỹ Lợi.",
                  mode="rules")  # fmt: skip
    topics = [(d.topic.text, d.topic.source) for d in doc.directives]
    assert topics[0][0] == "giải phóng mặt bằng" and topics[0][1] != RULE  # the heading
    assert topics[-1] == ("vốn cho dự án cầu Mỹ Lợi", RULE)


SECTORS = [
    ({"topic": "điểm sạt lở trên quốc lộ", "action": "khắc phục các điểm sạt lở trên quốc lộ",
      "actor": "Sở Xây dựng"}, "thien_tai"),
    ({"topic": "vắc-xin cho trẻ em", "action": "tiêm vắc-xin cho trẻ em", "actor": "Sở Y tế"},
     "y_te"),
    ({"topic": "tiến độ giải ngân vốn đầu tư công", "action": "đẩy nhanh tiến độ giải ngân vốn "
      "đầu tư công", "actor": "các chủ đầu tư"}, "dau_tu_cong"),
    ({"topic": "thủ tục hành chính", "action": "rút ngắn thời gian giải quyết thủ tục hành chính",
      "actor": "các sở, ngành"}, "hanh_chinh"),
    ({"topic": None, "action": "tiếp tục thực hiện", "actor": None}, None),
    # a disaster named in the directive's own words comes first (GUIDELINE 12.1): a school,
    # a budget reserve or a road dealt with because of the flood is the flood's
    ({"topic": "học sinh", "action": "cho học sinh nghỉ học khi nước lũ dâng cao",
      "actor": "Sở Giáo dục và Đào tạo"}, "thien_tai"),
    ({"topic": "nguồn dự phòng ngân sách", "action": "trích nguồn dự phòng ngân sách để hỗ "
      "trợ các hộ bị ngập", "actor": "UBND huyện"}, "thien_tai"),
    ({"topic": "thiệt hại về nhà ở, lúa và hoa màu", "action": "thống kê nhanh thiệt hại về nhà "
      "ở, lúa và hoa màu", "actor": "Các huyện"}, "thien_tai"),
    ({"topic": "trâu, bò", "action": "không thả rông trâu, bò khi nhiệt độ xuống dưới 12 độ C",
      "actor": "Các xã"}, "thien_tai"),
    # the same words outside an emergency stay with their field
    ({"topic": "học sinh", "action": "cho học sinh nghỉ học vào thứ Bảy",
      "actor": "Sở Giáo dục và Đào tạo"}, "giao_duc"),
    # field words the rules had missed: animal disease, the public-service portal, land
    # records, toll stations
    ({"topic": "lợn bệnh", "action": "không tiêu thụ lợn bệnh", "actor": "các cơ sở giết mổ"},
     "nong_nghiep"),
    ({"topic": "Cổng dịch vụ công của tỉnh", "action": "nâng cấp Cổng dịch vụ công của tỉnh",
      "actor": "Sở Khoa học và Công nghệ"}, "khoa_hoc"),
    ({"topic": "hồ sơ đất đai tồn đọng", "action": "giải quyết dứt điểm hồ sơ đất đai tồn "
      "đọng", "actor": "UBND các xã"}, "tai_nguyen"),
    ({"topic": "các trạm thu phí BOT", "action": "rà soát các trạm thu phí BOT",
      "actor": "các bộ"}, "giao_thong"),
    # more missed field words: illegal fireworks, inflation, investment registration,
    # waste collection, land speculation, law-making and the justice bodies
    ({"topic": "hành vi buôn bán pháo trái phép", "action": "xử lý nghiêm hành vi buôn bán "
      "pháo trái phép", "actor": None}, "an_ninh"),
    ({"topic": "lạm phát", "action": "kiểm soát lạm phát ở mức khoảng 4%",
      "actor": "các bộ, cơ quan"}, "tai_chinh"),
    ({"topic": "thời gian cấp giấy chứng nhận đăng ký đầu tư", "action": "rút ngắn thời gian "
      "cấp giấy chứng nhận đăng ký đầu tư", "actor": "Sở Tài chính"}, "kinh_te"),
    ({"topic": "thủ tục đầu tư các dự án chuyển tiếp", "action": "hoàn thiện thủ tục đầu tư "
      "các dự án chuyển tiếp", "actor": "Các bộ"}, "dau_tu_cong"),
    ({"topic": "tần suất thu gom rác", "action": "tăng tần suất thu gom rác tại các khu dân cư",
      "actor": "UBND các phường"}, "tai_nguyen"),
    ({"topic": "tình trạng đầu cơ, thổi giá đất", "action": "ngăn chặn tình trạng đầu cơ, thổi "
      "giá đất tại khu vực quy hoạch mới", "actor": "thành phố"}, "xay_dung"),
    ({"topic": "văn bản quy định chi tiết luật", "action": "đôn đốc ban hành văn bản quy định "
      "chi tiết luật", "actor": "Bộ Tư pháp"}, "hanh_chinh"),
    # the actor alone names the field when the action names none
    ({"topic": "danh mục nhiệm vụ còn lại", "action": "lập danh mục nhiệm vụ còn lại",
      "actor": "Sở Tư pháp"}, "hanh_chinh"),
    # serving "người dân, doanh nghiệp" is public administration (hanh_chinh 10 times in
    # 10 in train and dev), and so are the Tết duty roster and the ban on Tết visits
    ({"topic": "chỉ số hài lòng của người dân, doanh nghiệp", "action": "nâng cao chỉ số hài "
      "lòng của người dân, doanh nghiệp", "actor": "các sở, ngành"}, "hanh_chinh"),
    ({"topic": "lịch trực Tết", "action": "phân công lịch trực Tết", "actor": "các sở, ngành"},
     "hanh_chinh"),
    ({"topic": "đi chúc Tết cấp trên", "action": "không tổ chức đi chúc Tết cấp trên",
      "actor": "các cơ quan, đơn vị"}, "hanh_chinh"),
    # land-use fees are budget revenue; drinking and driving is traffic order
    ({"topic": "nguồn thu tiền sử dụng đất", "action": "sử dụng nguồn thu tiền sử dụng đất "
      "năm 2025", "actor": "UBND xã"}, "tai_chinh"),
    ({"topic": "rượu, bia", "action": "nghiêm cấm sử dụng rượu, bia khi lái xe",
      "actor": "các cơ quan, đơn vị"}, "an_ninh"),
    ({"topic": "kế hoạch năm 2026", "action": "xây dựng kế hoạch năm 2026",
      "actor": "Sở LĐ-TB&XH"}, "xa_hoi"),
    ({"topic": "hồ sơ bảo hiểm thất nghiệp", "action": "giải quyết dứt điểm hồ sơ bảo hiểm "
      "thất nghiệp", "actor": "Bảo hiểm xã hội tỉnh"}, "xa_hoi"),
]  # fmt: skip


@pytest.mark.parametrize("fields,expected", SECTORS)
def test_sector_by_keywords(fields, expected):
    reading = by_rules(fields)
    assert (reading.id if reading else None) == expected
    if reading:
        assert reading.source.startswith("sector.rules:") and reading.label == label_of(expected)


KEYWORD_HITS = [
    # (text, the keywords the rules read): longest first, masks hide what they contain
    ("Sở Giao thông vận tải khắc phục điểm sạt lở trên cầu Bến Thủy", {"Sở Giao thông vận tải",
                                                                       "sạt lở", "cầu"}),
    ("theo yêu cầu của Thủ tướng, báo cáo nhu cầu vốn", set()),
    ("ổn định thị trường, cải thiện môi trường đầu tư", {"thị trường"}),
    ("kết nối dịch vụ công trực tuyến, hướng dẫn đăng ký bằng điện thoại",
     {"dịch vụ công", "trực tuyến"}),
    ("xây dựng kế hoạch giải ngân vốn đầu tư công", {"vốn đầu tư công", "giải ngân"}),
    ("chung sức xây dựng nông thôn mới", {"xây dựng nông thôn mới"}),
    # tobacco is not medicine: "thuốc lá" hides "thuốc"
    ("tuyệt đối không hút thuốc lá tại công sở", set()),
    ("Bộ đội Biên phòng tỉnh tăng cường tuần tra", {"Biên phòng"}),
    # a ministry or department abbreviated as the field writes it (GUIDELINE 12.4)
    ("Sở GD&ĐT, Bộ GTVT, Sở NN&PTNT, Sở TN&MT, Bộ KH&CN, Sở LĐ-TB&XH, Sở VH-TT&DL",
     {"GD&ĐT", "GTVT", "NN&PTNT", "TN&MT", "KH&CN", "LĐ-TB&XH", "VH-TT&DL"}),
]  # fmt: skip


@pytest.mark.parametrize("text,expected", KEYWORD_HITS)
def test_sector_keywords_read_longest_first(text, expected):
    assert {keyword for _, keyword in keyword_hits(text)} == expected


def test_the_documents_fields_weigh_in_for_the_rules_alone():
    generic = {"action": "hoàn thiện hồ sơ, báo cáo kết quả", "actor": "UBND huyện"}
    assert by_rules({"action": "tiếp tục thực hiện"}) is None
    alone = by_rules({"action": "tiếp tục thực hiện"}, ["thien_tai", "giao_thong"])
    assert (alone.id, alone.source) == ("thien_tai", "sector.document")
    own = by_rules(generic, ["thien_tai"])  # "hồ sơ" (action, 2.0) beats the context (1.0)
    assert (own.id, own.source) == ("hanh_chinh", "sector.rules:hồ sơ")
    assert 0.0 < alone.confidence < own.confidence <= 0.9
    assert [s.id for s in sectors()][-1] == "khac"


def test_a_named_disaster_wins_with_a_meaningful_confidence():
    fields = {"topic": "kinh phí", "action": "bố trí kinh phí khắc phục điểm sạt lở",
              "actor": "Sở Tài chính"}  # fmt: skip
    reading = by_rules(fields)
    assert (reading.id, reading.source) == ("thien_tai", "sector.rules:sạt lở")
    assert 0.85 <= reading.confidence <= 0.9  # as sure as the rules get: it is rarely wrong
    assert combine(fields, {"tai_chinh": 0.9, "thien_tai": 0.1}).id == "thien_tai"


SECTOR_CONFIDENCE = [
    # (fields, document context, model, confidence band): the band is how often readings
    # like it were right on field-dev, field-train and dev
    ({"topic": "vắc-xin sởi", "action": "tiêm vắc-xin sởi"}, [], None, (0.85, 0.9)),
    ({"topic": "kinh phí cho bệnh viện", "action": "bố trí kinh phí cho bệnh viện"}, [], None,
     (0.6, 0.7)),
    ({"action": "tiếp tục thực hiện"}, ["y_te", "giao_duc"], None, (0.55, 0.65)),
    ({"topic": "vắc-xin", "action": "tiêm vắc-xin"}, [], {"y_te": 0.95, "giao_duc": 0.05},
     (0.9, 1.0)),
    ({"action": "tiếp tục thực hiện"}, [], {"y_te": 0.4, "giao_duc": 0.35, "khac": 0.25},
     (0.3, 0.5)),
]  # fmt: skip


@pytest.mark.parametrize("fields,context,model,band", SECTOR_CONFIDENCE)
def test_sector_confidence_is_how_often_such_readings_are_right(fields, context, model, band):
    reading = combine(fields, model, context)
    assert band[0] <= reading.confidence <= band[1]


def test_the_documents_fields_count_every_occurrence():
    from extractor.sector_model import document_fields

    text = ("Về xây dựng NTM: rà soát tiêu chí NTM; hoàn thành NTM nâng cao; tổng kết NTM. "
            "Giao Sở Tài chính bố trí kinh phí.")  # fmt: skip
    assert document_fields(text) == ["nong_nghiep", "tai_chinh"]


def test_sector_combines_the_model_and_the_rules_and_says_so():
    fields = {"topic": "vắc-xin", "action": "tiêm vắc-xin", "actor": "Sở Y tế"}
    model = {"y_te": 0.4, "giao_duc": 0.6}  # the rules tip a close call
    assert (combine(fields, model).id, combine(fields, model).source) == (
        "y_te", "sector.rules:vắc-xin+model")
    sure = {"y_te": 0.02, "giao_duc": 0.98}
    assert combine(fields, sure).id == "giao_duc" and combine(fields, sure).source == "model"
    nothing = combine({"action": "tiếp tục thực hiện"}, None)
    assert (nothing.id, nothing.source) == ("khac", "sector.default")


def test_every_directive_gets_a_sector_with_its_source(extract):
    doc = extract("Giao Sở Giáo dục và Đào tạo rà soát đội ngũ giáo viên mầm non, báo cáo "
                  "UBND tỉnh trước ngày 30/6/2025.", mode="rules")  # fmt: skip
    (d,) = doc.directives
    assert d.sector.id == "giao_duc" and d.sector.source.startswith("sector.rules:")
    assert 0.0 <= d.sector.confidence <= 1.0


def test_sector_keywords_found_as_by_the_alternation_longest_first():
    """The keyword trie finds what one alternation of every keyword and mask, longest
    first, found (the reading before), on the train and dev texts."""
    import re

    from extractor import sector
    from extractor.corpus import iter_split
    from extractor.normalize import fold

    pattern, names = sector._matcher()
    phrases = sorted((k for k in names if k), key=len, reverse=True)
    alternation = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")
    total = 0
    for doc in (d for split in ("train", "dev") for d in iter_split(split)):
        text = fold(doc.text)
        found = [(m.start(), m.group(0)) for m in pattern.finditer(text)]
        assert found == [(m.start(), m.group(0)) for m in alternation.finditer(text)], doc.id
        total += len(found)
    assert total > 100


def _match_by_scan(tokens, k, phrases):
    """The phrase matching before: each phrase in turn, its text joined afresh."""
    for phrase in phrases:
        text, j = "", k
        while j < len(tokens.low) and len(text) < len(phrase):
            glue = "" if not text or tokens.low[j] == "," else " "
            text = f"{text}{glue}{tokens.low[j]}"
            j += 1
        if text == phrase:
            return j - k
    return 0


def test_topic_phrases_match_as_the_scan_did():
    """Every topic word list, at every token (and two before the start) of the sentences
    of a document, matches as the phrase-by-phrase scan did; so do lists in any order."""
    import random

    from extractor.pipeline import build
    from extractor.topic import _Tokens, topic_words

    text = ("Về công tác phòng, chống thiên tai: giao Bộ Nông nghiệp và Phát triển nông thôn "
            "chủ trì, phối hợp với các bộ, ngành tăng cường kiểm tra, rà soát, không để xảy ra "
            "tình trạng chậm trễ; báo cáo Thủ tướng Chính phủ kết quả thực hiện trước ngày 30/6.")
    doc = build("rules")(text)
    tokens = _Tokens(list(doc))
    words = topic_words()
    rng = random.Random(3)
    lists = list(words.lists.values())
    lists += [tuple(rng.sample(p, len(p))) for p in lists]  # any order: the first one wins
    lists += [("", "các bộ"), ("các bộ", "", "các")]
    hits = 0
    for phrases in lists:
        for k in range(-2, len(tokens)):
            expected = _match_by_scan(tokens, k, phrases)
            assert tokens.match(k, phrases) == expected, (k, phrases[:3])
            hits += bool(expected)
    assert hits > 20
