"""What the demo organisation looks like: units, people, challenges and pilots (Vietnamese)."""

from pilotmgr.pilots.stages import Stage

#: The 34 provincial-level units after the merger of 1 July 2025: 6 cities, then 28 provinces.
PROVINCES = [
    ("HNI", "Thành phố Hà Nội"),
    ("HUE", "Thành phố Huế"),
    ("HPG", "Thành phố Hải Phòng"),
    ("DNG", "Thành phố Đà Nẵng"),
    ("HCM", "Thành phố Hồ Chí Minh"),
    ("CTO", "Thành phố Cần Thơ"),
    ("TQG", "Tỉnh Tuyên Quang"),
    ("CBG", "Tỉnh Cao Bằng"),
    ("LCU", "Tỉnh Lai Châu"),
    ("LCI", "Tỉnh Lào Cai"),
    ("TNN", "Tỉnh Thái Nguyên"),
    ("DBN", "Tỉnh Điện Biên"),
    ("LSN", "Tỉnh Lạng Sơn"),
    ("SLA", "Tỉnh Sơn La"),
    ("PTO", "Tỉnh Phú Thọ"),
    ("BNH", "Tỉnh Bắc Ninh"),
    ("QNH", "Tỉnh Quảng Ninh"),
    ("HYN", "Tỉnh Hưng Yên"),
    ("NBH", "Tỉnh Ninh Bình"),
    ("THA", "Tỉnh Thanh Hóa"),
    ("NAN", "Tỉnh Nghệ An"),
    ("HTH", "Tỉnh Hà Tĩnh"),
    ("QTR", "Tỉnh Quảng Trị"),
    ("QNG", "Tỉnh Quảng Ngãi"),
    ("GLI", "Tỉnh Gia Lai"),
    ("KHA", "Tỉnh Khánh Hòa"),
    ("LDG", "Tỉnh Lâm Đồng"),
    ("DLK", "Tỉnh Đắk Lắk"),
    ("DNI", "Tỉnh Đồng Nai"),
    ("TNH", "Tỉnh Tây Ninh"),
    ("VLG", "Tỉnh Vĩnh Long"),
    ("DTP", "Tỉnh Đồng Tháp"),
    ("CMU", "Tỉnh Cà Mau"),
    ("AGG", "Tỉnh An Giang"),
]

MINISTRY = ("BO-KHCN", "Bộ Khoa học và Công nghệ")
MINISTRY_DEPARTMENTS = [
    ("BO-CDS", "Cục Chuyển đổi số quốc gia"),
    ("BO-VP", "Văn phòng Bộ"),
]
#: Provinces that get departments (Sở) in the demo.
DEPARTMENTS = [
    ("KHCN", "Sở Khoa học và Công nghệ"),
    ("YT", "Sở Y tế"),
    ("GDDT", "Sở Giáo dục và Đào tạo"),
    ("TC", "Sở Tài chính"),
]
PROVINCES_WITH_DEPARTMENTS = ("HNI", "HCM", "DNG", "BNH", "QNH")
#: What a province's name begins with before the place itself.
PROVINCE_PREFIXES = ("Thành phố ", "Tỉnh ")


def department_name(department: str, province: str) -> str:
    """ "Sở Y tế" of "Thành phố Hà Nội" is "Sở Y tế Hà Nội": the place without its prefix."""
    for prefix in PROVINCE_PREFIXES:
        if province.startswith(prefix):
            return f"{department} {province[len(prefix) :]}"
    return f"{department} {province}"


PASSWORD = "demo-pilotmgr"

#: key → (email, name, role, unit code)
USERS = {
    "admin": ("admin@demo.gov.vn", "Quản trị hệ thống", "admin", "BO-VP"),
    "head_ministry": ("head@demo.gov.vn", "Nguyễn Văn Thành", "head", "BO-KHCN"),
    "head_cds": ("head.cds@demo.gov.vn", "Trần Quốc Bảo", "head", "BO-CDS"),
    "head_hanoi": ("head.hanoi@demo.gov.vn", "Lê Thị Thu Hà", "head", "HNI"),
    "head_bacninh": ("head.bacninh@demo.gov.vn", "Phạm Đức Long", "head", "BNH"),
    "head_hcm": ("head.hcm@demo.gov.vn", "Võ Minh Tâm", "head", "HCM"),
    "head_danang": ("head.danang@demo.gov.vn", "Hồ Thị Kim Oanh", "head", "DNG"),
    "head_bn_yt": ("head.bn-yte@demo.gov.vn", "Đỗ Văn Khải", "head", "BNH-YT"),
    "lead": ("lead@demo.gov.vn", "Trần Thị Lan", "lead", "BO-CDS"),
    "lead_bacninh": ("lead.bacninh@demo.gov.vn", "Nguyễn Hoàng Nam", "lead", "BNH-KHCN"),
    "lead_hanoi": ("lead.hanoi@demo.gov.vn", "Bùi Thị Ngọc Ánh", "lead", "HNI-KHCN"),
    "lead_hcm": ("lead.hcm@demo.gov.vn", "Lý Quốc Việt", "lead", "HCM-TC"),
    "lead_danang": ("lead.danang@demo.gov.vn", "Phan Thanh Hải", "lead", "DNG-KHCN"),
    "lead_bn_yt": ("lead.bn-yte@demo.gov.vn", "Cao Thị Hạnh", "lead", "BNH-YT"),
    "lead_quangninh": ("lead.quangninh@demo.gov.vn", "Đinh Thị Hồng", "lead", "QNH-YT"),
    "staff": ("staff@demo.gov.vn", "Hoàng Minh Đức", "staff", "BO-CDS"),
    "staff_bacninh": ("staff.bacninh@demo.gov.vn", "Vũ Thị Mai", "staff", "BNH-KHCN"),
    "staff_bn_yt": ("staff.bn-yte@demo.gov.vn", "Ngô Văn Tùng", "staff", "BNH-YT"),
    "staff_hanoi": ("staff.hanoi@demo.gov.vn", "Đặng Thu Trang", "staff", "HNI-KHCN"),
    "staff_hcm": ("staff.hcm@demo.gov.vn", "Trương Gia Huy", "staff", "HCM-TC"),
    "viewer": ("viewer@demo.gov.vn", "Mai Anh Tuấn", "viewer", "BO-KHCN"),
}

PROGRAMME = (
    "Chương trình Chuyển đổi số quốc gia giai đoạn 2026–2030",
    "Thí điểm – Lựa chọn thành công – Phổ cập: mỗi bộ, ngành, địa phương thực hiện các nhiệm vụ "
    "chung và ít nhất một nhiệm vụ tiên phong (“32+1”).",
)

#: key → (title, problem)
CHALLENGES = {
    "community": (
        "Tổ công nghệ số cộng đồng",
        "Người dân ở thôn, tổ dân phố chưa biết dùng dịch vụ công trực tuyến, thanh toán số; "
        "cần lực lượng tại chỗ “đi từng ngõ, gõ từng nhà, hướng dẫn từng người”.",
    ),
    "einvoice": (
        "Hóa đơn điện tử khởi tạo từ máy tính tiền",
        "Hộ kinh doanh bán lẻ trực tiếp còn dùng tiền mặt, không xuất hóa đơn; cơ quan thuế "
        "không có dữ liệu doanh thu theo thời gian thực.",
    ),
    "online_services": (
        "Dịch vụ công trực tuyến toàn trình",
        "Nhiều thủ tục còn phải nộp bản giấy, tỷ lệ hồ sơ trực tuyến toàn trình thấp, thời gian "
        "giải quyết kéo dài.",
    ),
    "cashless": (
        "Thanh toán không dùng tiền mặt tại bệnh viện và trường học",
        "Người bệnh và phụ huynh phải xếp hàng nộp tiền mặt; đối soát thủ công, dễ sai sót.",
    ),
    "data_sharing": (
        "Chia sẻ dữ liệu giữa các cơ quan nhà nước",
        "Dữ liệu “manh mún, cát cứ”: người dân phải khai lại thông tin đã có trong Cơ sở dữ liệu "
        "quốc gia về dân cư.",
    ),
}

# A pilot: key, challenge, unit, owner, target stage (and outcome), title, summary, partner,
# budget (VND), start/end relative to today in days, KPIs (name, unit, baseline, target,
# direction, measured values), tasks (title, assignee, due in days, priority, deliverable,
# status).
PILOTS = [
    dict(
        key="bn_community",
        challenge="community",
        unit="BNH-KHCN",
        owner="lead_bacninh",
        stage=Stage.piloting,
        title="Tổ công nghệ số cộng đồng tại 20 thôn của huyện Gia Bình",
        summary="Thành lập tổ công nghệ số ở 20 thôn, mỗi tổ 5 thành viên, hướng dẫn người dân "
        "cài VNeID, nộp hồ sơ trực tuyến và thanh toán không dùng tiền mặt.",
        partner="Viettel Bắc Ninh",
        budget=450_000_000,
        start=-75,
        end=45,
        kpis=[
            ("Tỷ lệ hộ gia đình có người dùng VNeID mức 2", "%", 38, 80, "increase", [52, 61]),
            (
                "Số hồ sơ dịch vụ công nộp trực tuyến mỗi tháng",
                "hồ sơ",
                120,
                600,
                "increase",
                [240],
            ),
        ],
        tasks=[
            (
                "Ra quyết định thành lập 20 tổ công nghệ số",
                "lead_bacninh",
                -60,
                "high",
                "Quyết định thành lập",
                "done",
            ),
            (
                "Tập huấn kỹ năng số cho thành viên tổ",
                "staff_bacninh",
                -5,
                "high",
                "Danh sách 100 thành viên đã tập huấn",
                "in_progress",
            ),
            (
                "Báo cáo kết quả tháng thứ hai",
                "staff_bacninh",
                3,
                "normal",
                "Báo cáo số liệu theo thôn",
                "todo",
            ),
            (
                "Khảo sát mức độ hài lòng của người dân",
                "staff_bacninh",
                20,
                "normal",
                "Phiếu khảo sát và tổng hợp",
                "todo",
            ),
        ],
    ),
    dict(
        key="hn_community",
        challenge="community",
        unit="HNI-KHCN",
        owner="lead_hanoi",
        stage=Stage.proposed,
        title="Tổ công nghệ số cộng đồng tại các tổ dân phố quận Hoàn Kiếm",
        summary="Mỗi tổ dân phố có một tổ công nghệ số gồm đoàn viên thanh niên và công an khu "
        "vực, hỗ trợ người cao tuổi sử dụng dịch vụ số.",
        partner="Thành đoàn Hà Nội",
        budget=300_000_000,
        start=10,
        end=190,
        kpis=[("Tỷ lệ người trên 60 tuổi dùng được ứng dụng VNeID", "%", 22, 60, "increase", [])],
        tasks=[
            (
                "Xây dựng tài liệu hướng dẫn “cầm tay chỉ việc”",
                "staff_hanoi",
                25,
                "high",
                "Bộ tài liệu in và video",
                "todo",
            )
        ],
    ),
    dict(
        key="hcm_einvoice",
        challenge="einvoice",
        unit="HCM-TC",
        owner="lead_hcm",
        stage=Stage.selected,
        title="Hóa đơn điện tử từ máy tính tiền tại chợ Bến Thành",
        summary="Kết nối máy tính tiền của 300 hộ kinh doanh với cơ quan thuế, tự động khởi "
        "tạo hóa đơn điện tử cho từng giao dịch.",
        partner="VNPT TP. Hồ Chí Minh",
        budget=1_200_000_000,
        start=-200,
        end=-20,
        kpis=[
            (
                "Số hộ kinh doanh xuất hóa đơn từ máy tính tiền",
                "hộ",
                15,
                300,
                "increase",
                [120, 210, 284],
            ),
            ("Thời gian xuất một hóa đơn", "giây", 90, 10, "decrease", [40, 15, 8]),
        ],
        tasks=[
            (
                "Lắp đặt thiết bị cho 300 hộ",
                "staff_hcm",
                -90,
                "high",
                "Biên bản bàn giao thiết bị",
                "done",
            ),
            ("Tổng kết thí điểm", "lead_hcm", -25, "high", "Báo cáo tổng kết", "done"),
        ],
        formula="Một máy – một chạm – một hóa đơn",
        lessons="Hộ kinh doanh chỉ tham gia khi được hỗ trợ thiết bị ban đầu và thấy lợi ích "
        "quản lý bán hàng; cần cán bộ thuế trực tại chợ tuần đầu.",
    ),
    dict(
        key="qn_einvoice",
        challenge="einvoice",
        unit="QNH-YT",
        owner="lead_quangninh",
        stage=Stage.closed,
        outcome="not_selected",
        title="Hóa đơn điện tử cho nhà thuốc tư nhân tại Hạ Long",
        summary="Thí điểm máy tính tiền kết nối cơ quan thuế tại 50 nhà thuốc.",
        partner="MISA",
        budget=350_000_000,
        start=-220,
        end=-40,
        kpis=[("Số nhà thuốc xuất hóa đơn từ máy tính tiền", "cơ sở", 0, 50, "increase", [18, 27])],
        tasks=[
            (
                "Tập huấn cho chủ nhà thuốc",
                "lead_quangninh",
                -150,
                "normal",
                "Danh sách điểm danh",
                "done",
            )
        ],
        lessons="Phần mềm quản lý nhà thuốc chưa tích hợp sẵn; chi phí tích hợp cao hơn dự kiến.",
    ),
    dict(
        key="cds_online",
        challenge="online_services",
        unit="BO-CDS",
        owner="lead",
        stage=Stage.rolling_out,
        title="Dịch vụ công trực tuyến toàn trình cấp đổi giấy phép lái xe",
        summary="Người dân nộp hồ sơ, thanh toán lệ phí và nhận kết quả hoàn toàn trực tuyến, "
        "dùng dữ liệu sức khỏe điện tử và CSDL dân cư thay cho bản giấy.",
        partner="Cục Đường bộ Việt Nam",
        budget=2_500_000_000,
        start=-330,
        end=-120,
        kpis=[
            ("Tỷ lệ hồ sơ nộp trực tuyến toàn trình", "%", 12, 70, "increase", [45, 66, 74]),
            ("Thời gian giải quyết trung bình", "ngày", 7, 2, "decrease", [4, 2.5, 1.8]),
        ],
        tasks=[
            (
                "Kết nối dữ liệu khám sức khỏe điện tử",
                "staff",
                -250,
                "high",
                "API kết nối đã nghiệm thu",
                "done",
            ),
            (
                "Hướng dẫn các tỉnh đợt 1 vận hành dịch vụ",
                "staff",
                -4,
                "high",
                "Tài liệu hướng dẫn và biên bản tập huấn",
                "in_progress",
            ),
            (
                "Tổng hợp báo cáo tiến độ phổ cập quý IV",
                "staff",
                8,
                "normal",
                "Báo cáo tiến độ",
                "todo",
            ),
        ],
        formula="Đúng – đủ – sạch – sống: dữ liệu có sẵn thì không bắt dân khai lại",
        lessons="Chuẩn hóa dữ liệu khám sức khỏe trước khi mở dịch vụ; bố trí bộ phận hỗ trợ.",
        rollout=["HNI", "HCM", "DNG", "BNH", "QNH", "HPG", "CTO", "HUE"],
        rollout_done=5,
    ),
    dict(
        key="cds_data",
        challenge="data_sharing",
        unit="BO-CDS",
        owner="lead",
        stage=Stage.scaled,
        title="Xác thực thông tin công dân qua CSDL quốc gia về dân cư",
        summary="Các hệ thống một cửa dùng dữ liệu dân cư để tự điền thông tin, bỏ yêu cầu nộp "
        "bản sao giấy tờ.",
        partner="Bộ Công an (C06)",
        budget=1_800_000_000,
        start=-700,
        end=-450,
        kpis=[("Tỷ lệ thủ tục không yêu cầu bản sao giấy tờ", "%", 10, 90, "increase", [60, 92])],
        tasks=[("Rà soát danh mục thủ tục", "staff", -600, "high", "Danh mục rà soát", "done")],
        formula="Dữ liệu đi thay người dân",
        lessons="Thống nhất mã định danh trước; ký quy chế khai thác dữ liệu sớm.",
        rollout=["HNI", "HCM", "DNG", "BNH"],
        rollout_done=4,
        regulation=("45/2026/QĐ-BKHCN", -60, "Bộ Khoa học và Công nghệ"),
    ),
    dict(
        key="bn_hospital",
        challenge="cashless",
        unit="BNH-YT",
        owner="lead_bn_yt",
        stage=Stage.evaluating,
        title="Thanh toán không tiền mặt tại Bệnh viện Đa khoa tỉnh Bắc Ninh",
        summary="Thanh toán viện phí bằng mã QR và thẻ CCCD gắn chip tại quầy và trên ứng dụng.",
        partner="BIDV Bắc Ninh",
        budget=800_000_000,
        start=-180,
        end=-5,
        kpis=[
            ("Tỷ lệ giao dịch viện phí không dùng tiền mặt", "%", 8, 60, "increase", [25, 48, 63]),
            ("Thời gian chờ thanh toán", "phút", 25, 5, "decrease", [15, 9, 6]),
        ],
        tasks=[
            (
                "Triển khai mã QR tại 12 quầy thu",
                "staff_bn_yt",
                -120,
                "high",
                "12 quầy đã lắp đặt",
                "done",
            ),
            (
                "Báo cáo đánh giá sau thí điểm",
                "staff_bn_yt",
                -2,
                "high",
                "Báo cáo đánh giá",
                "in_progress",
            ),
        ],
    ),
    dict(
        key="hn_school",
        challenge="cashless",
        unit="HNI-KHCN",
        owner="lead_hanoi",
        stage=Stage.evaluating,
        title="Thu học phí không dùng tiền mặt tại 30 trường THCS Cầu Giấy",
        summary="Phụ huynh nhận thông báo và nộp học phí qua ứng dụng ngân hàng; nhà trường "
        "đối soát tự động.",
        partner="Vietcombank",
        budget=500_000_000,
        start=-210,
        end=-10,
        kpis=[("Tỷ lệ khoản thu qua ngân hàng", "%", 30, 90, "increase", [55, 78, 85])],
        tasks=[
            (
                "Chuẩn hóa danh mục khoản thu",
                "staff_hanoi",
                -150,
                "normal",
                "Danh mục khoản thu thống nhất",
                "done",
            )
        ],
    ),
    dict(
        key="dn_hospital",
        challenge="cashless",
        unit="DNG-KHCN",
        owner="lead_danang",
        stage=Stage.evaluating,
        title="Ví điện tử y tế tại Bệnh viện Đà Nẵng",
        summary="Tài khoản tạm ứng viện phí điện tử gắn với hồ sơ bệnh án.",
        partner="MoMo",
        budget=650_000_000,
        start=-190,
        end=-15,
        kpis=[
            ("Tỷ lệ giao dịch viện phí không dùng tiền mặt", "%", 10, 60, "increase", [20, 31, 40])
        ],
        tasks=[
            (
                "Tích hợp với phần mềm quản lý bệnh viện",
                "lead_danang",
                -100,
                "high",
                "Biên bản nghiệm thu tích hợp",
                "done",
            )
        ],
    ),
    dict(
        key="hcm_online",
        challenge="online_services",
        unit="HCM-TC",
        owner="lead_hcm",
        stage=Stage.piloting,
        title="Đăng ký hộ kinh doanh trực tuyến toàn trình tại TP. Thủ Đức",
        summary="Cấp giấy chứng nhận đăng ký hộ kinh doanh bản điện tử trong 1 ngày làm việc.",
        partner="",
        budget=400_000_000,
        start=-40,
        end=80,
        kpis=[
            ("Tỷ lệ hồ sơ trực tuyến toàn trình", "%", 20, 80, "increase", [35]),
            ("Thời gian cấp giấy chứng nhận", "ngày", 3, 1, "decrease", []),
        ],
        tasks=[
            (
                "Cấu hình quy trình điện tử trên cổng dịch vụ công",
                "staff_hcm",
                -10,
                "high",
                "Quy trình đã vận hành",
                "in_progress",
            ),
            (
                "Đo thời gian giải quyết thực tế",
                "staff_hcm",
                1,
                "normal",
                "Bảng số liệu tuần",
                "todo",
            ),
        ],
    ),
    dict(
        key="qn_data",
        challenge="data_sharing",
        unit="QNH-YT",
        owner="lead_quangninh",
        stage=Stage.piloting,
        title="Liên thông dữ liệu khám chữa bệnh và bảo hiểm y tế",
        summary="Bệnh viện tỉnh gửi dữ liệu khám chữa bệnh lên hệ thống giám định BHYT theo "
        "thời gian thực.",
        partner="BHXH tỉnh Quảng Ninh",
        budget=700_000_000,
        start=-60,
        end=60,
        kpis=[("Tỷ lệ hồ sơ giám định tự động", "%", 40, 85, "increase", [])],
        tasks=[
            (
                "Chuẩn hóa danh mục dùng chung",
                "lead_quangninh",
                -12,
                "high",
                "Danh mục đã chuẩn hóa",
                "in_progress",
            )
        ],
    ),
    dict(
        key="dn_online",
        challenge="online_services",
        unit="DNG-KHCN",
        owner="lead_danang",
        stage=Stage.proposed,
        title="Trợ lý ảo hướng dẫn thủ tục hành chính tại Đà Nẵng",
        summary="Trợ lý ảo trả lời câu hỏi về thủ tục 24/7 trên Zalo và cổng dịch vụ công.",
        partner="FPT",
        budget=600_000_000,
        start=15,
        end=200,
        kpis=[("Tỷ lệ câu hỏi được trả lời đúng", "%", 0, 85, "increase", [])],
        tasks=[
            (
                "Xây dựng bộ câu hỏi thường gặp",
                "lead_danang",
                30,
                "normal",
                "Bộ 500 câu hỏi – trả lời",
                "todo",
            )
        ],
    ),
    dict(
        key="bn_data",
        challenge="data_sharing",
        unit="BNH-KHCN",
        owner="lead_bacninh",
        stage=Stage.draft,
        title="Kho dữ liệu dùng chung của tỉnh Bắc Ninh",
        summary="Tập trung dữ liệu đất đai, hộ tịch, doanh nghiệp vào kho dùng chung.",
        partner="",
        budget=None,
        start=30,
        end=None,
        kpis=[("Số cơ sở dữ liệu chuyên ngành kết nối", "CSDL", 2, 12, "increase", [])],
        tasks=[],
    ),
    dict(
        key="cds_community",
        challenge="community",
        unit="BO-CDS",
        owner="lead",
        stage=Stage.draft,
        title="Nền tảng học kỹ năng số đại trà cho tổ công nghệ số",
        summary="Khóa học trực tuyến mở cho thành viên tổ công nghệ số cả nước.",
        partner="Đại học Bách khoa Hà Nội",
        budget=900_000_000,
        start=20,
        end=260,
        kpis=[("Số thành viên hoàn thành khóa học", "người", 0, 50_000, "increase", [])],
        tasks=[
            ("Thiết kế chương trình khóa học", "staff", 15, "high", "Đề cương chi tiết", "todo")
        ],
    ),
    dict(
        key="hcm_school_rejected",
        challenge="cashless",
        unit="HCM-TC",
        owner="lead_hcm",
        stage=Stage.closed,
        outcome="rejected",
        title="Thẻ học sinh thanh toán căng tin",
        summary="Phát hành thẻ trả trước cho học sinh tiểu học.",
        partner="",
        budget=200_000_000,
        start=-100,
        end=60,
        kpis=[("Tỷ lệ học sinh dùng thẻ", "%", 0, 70, "increase", [])],
        tasks=[("Lấy ý kiến phụ huynh", "staff_hcm", -80, "normal", "Tổng hợp ý kiến", "done")],
    ),
    dict(
        key="hn_stopped",
        challenge="online_services",
        unit="HNI-KHCN",
        owner="lead_hanoi",
        stage=Stage.closed,
        outcome="stopped",
        title="Ki-ốt dịch vụ công tự phục vụ tại phường",
        summary="Đặt ki-ốt tự phục vụ để người dân tra cứu và nộp hồ sơ.",
        partner="CMC",
        budget=350_000_000,
        start=-160,
        end=20,
        kpis=[("Số lượt sử dụng ki-ốt mỗi tháng", "lượt", 0, 2000, "increase", [150])],
        tasks=[("Lắp đặt 5 ki-ốt", "staff_hanoi", -130, "normal", "5 ki-ốt vận hành", "done")],
        lessons="Người dân quen dùng điện thoại hơn ki-ốt; nên đầu tư tổ công nghệ số.",
    ),
]
