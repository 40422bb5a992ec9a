"""Every page × every demo role: the answer each one gets, as the issues specify.

The matrix must name every URL of the app, so a new page cannot be added without deciding here
who may open it. Objects belong to Dũng Nghĩa, so the outsider (Bách Thuận) must get 404 on them.
"""

import io

import openpyxl
import pytest
from django.core.files.base import ContentFile

from accounts.models import Role
from dialogues.models import CalendarFeed, Document, DocumentType, PlanTarget, SessionStatus
from dialogues.workflow import SESSION_WORKFLOW
from feedback.workflow import OPINION_WORKFLOW
from reports.models import Report, ReportStage, ReportStatus

from .factories import district, make_opinion, make_plan, make_session, unit
from .urlwalk import app_routes

ROLES = ["board_staff", "officer", "outsider", "responder", "leader", "administrator", "anonymous"]

# Who reads what (GET): 200 allowed, 403 refused by role, 404 outside scope, 405 POST only.
READ = {"board_staff": 200, "officer": 200, "outsider": 200, "responder": 403, "leader": 200,
        "administrator": 200, "anonymous": 302}  # fmt: skip
READ_DN = {**READ, "outsider": 404}  # an object of Dũng Nghĩa
EDIT_DN = {**READ_DN, "leader": 403, "administrator": 403}
RECORD_DN = EDIT_DN  # entering and importing opinions
PLAN_EDIT = {**READ, "officer": 403, "outsider": 403, "leader": 403, "administrator": 403}
POST_ONLY = {**READ, "board_staff": 405, "officer": 405, "outsider": 405, "leader": 405,
             "administrator": 405}  # fmt: skip
PLAN_POST = {**PLAN_EDIT, "board_staff": 405}
EVERYONE = dict.fromkeys(ROLES, 200) | {"anonymous": 302}
PERSONAL_POST = dict.fromkeys(ROLES, 405) | {"anonymous": 302}
OPINION_DN = {**READ_DN, "responder": 200}  # the responder's agency has it
# Correcting a forwarded opinion: board staff only; the other commune's officer does not find it.
CORRECT_FORWARDED_DN = {**READ_DN, "officer": 403, "leader": 403, "administrator": 403}
QUEUE = dict.fromkeys(ROLES, 403) | {"responder": 200, "anonymous": 302}
PUBLIC = dict.fromkeys(ROLES, 200)
SCHEDULE = {**PLAN_EDIT, "officer": 200, "outsider": 200}
# A held session is no longer edited: its editors are sent back to its page.
HELD_EDIT = {"board_staff": 302, "officer": 302}
# A step that only posts: those it admits get 405 for a GET.
POST_ONLY_STEP = {"board_staff": 405, "officer": 405, "outsider": 405}
# No file was uploaded: readers in scope get "not found" for the download.
NO_FILE = READ | dict.fromkeys(
    ["board_staff", "officer", "outsider", "leader", "administrator"], 404
)
REPORTS = READ
# A report of Dũng Nghĩa, ready: its download is a PDF for everyone who can see it.
REPORT_DN = READ_DN
# The report's steps (reports/workflow.py) on an issued report: its editors only.
REPORT_POST_STEP_DN = {**EDIT_DN, "board_staff": 405, "officer": 405, "outsider": 405}
REPORT_ISSUE_DN = {**EDIT_DN, "board_staff": 302, "officer": 302}  # already issued: back to it
LETTERHEAD_MINE = {**EDIT_DN, "board_staff": 302, "officer": 302, "outsider": 302}
NO_FILE_DN = READ_DN | dict.fromkeys(["board_staff", "officer", "leader", "administrator"], 404)
UNIT_DN = READ_DN
# Publishing: board staff and the unit's officer; posts only (405 for a GET).
PUBLISH_POST_DN = {**EDIT_DN, "board_staff": 405, "officer": 405, "outsider": 405}
ACTOR_ROLES = {"board_staff": Role.BOARD_STAFF, "officer": Role.COMMUNE_OFFICER,
               "outsider": Role.COMMUNE_OFFICER, "responder": Role.AGENCY_RESPONDER,
               "leader": Role.LEADER, "administrator": Role.ADMINISTRATOR}  # fmt: skip


def step(workflow, *names):
    """A workflow step's page of a Dũng Nghĩa record: open to the roles its declaration names
    (the outsider's role too, who then finds nothing: 404), refused to the others."""
    roles = workflow.roles(*names)
    answers = {actor: 200 if role in roles else 403 for actor, role in ACTOR_ROLES.items()}
    if Role.COMMUNE_OFFICER in roles:
        answers["outsider"] = 404
    return {**answers, "anonymous": 302}


def opinion_step(*names):
    return step(OPINION_WORKFLOW, *names)


def session_step(*names):
    return step(SESSION_WORKFLOW, *names)


@pytest.fixture
def objects(demo):
    plan = make_plan(unit_=district())
    session = make_session(
        plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019", status=SessionStatus.HELD
    )
    minutes_session = session
    opinion = make_opinion(session=session, outcome="forwarded")
    target = PlanTarget.objects.create(
        plan=plan, unit=unit("Dũng Nghĩa"), level="commune", sessions_required=1,
        period_start=plan.period_start, period_end=plan.period_end,
    )  # fmt: skip
    document = Document.objects.create(
        number="830-CV/HU", doc_type=DocumentType.objects.get(code="CV"),
        issued_on=plan.period_start, issuer="Ban Thường vụ Huyện ủy", title="Công văn",
        unit=district(),
    )  # fmt: skip
    from accounts.models import User

    feed = CalendarFeed.for_user(User.objects.get(username="dungnghia"))
    report = Report.objects.create(
        unit=unit("Dũng Nghĩa"), period_kind="year", year=2019, start=plan.period_start,
        end=plan.period_end, number="1-BC/ĐU", place="Dũng Nghĩa", report_date=plan.period_end,
        signing="tm", signer_authority="BAN THƯỜNG VỤ", signer_title="BÍ THƯ", signer_name="",
        recipients="- Lưu.", stage=ReportStage.ISSUED, status=ReportStatus.READY,
        file=ContentFile(b"%PDF-1.4 test", name="r.pdf"),
    )  # fmt: skip
    # Published, so that the public pages of Dũng Nghĩa answer.
    from accounts.models import User as Staff
    from public.services import session_publish_results

    publication = session_publish_results(
        session=session,
        texts={opinion: "Đề nghị làm đường"},
        by=Staff.objects.get(username="dungnghia"),
    )
    return {
        "publication": publication,
        "plan": plan, "session": session, "opinion": opinion, "target": target,
        "document": document, "feed": feed, "minutes_session": minutes_session, "report": report,
    }  # fmt: skip


def matrix(o):
    s, p, op, r = o["session"].pk, o["plan"].pk, o["opinion"].pk, o["report"].pk
    dn = unit("Dũng Nghĩa").code
    return {
        "home": ("/", EVERYONE),
        "healthz": ("/healthz", PUBLIC),
        "ping": ("/ping", EVERYONE),
        "login": ("/accounts/login/", {**PUBLIC, **{r: 302 for r in ROLES if r != "anonymous"}}),
        "logout": ("/accounts/logout/", PERSONAL_POST),
        "password_change": ("/accounts/password/", EVERYONE),
        "password_change_done": ("/accounts/password/done/", EVERYONE),
        "set_language": ("/i18n/setlang/", dict.fromkeys(ROLES, 302)),
        "communes:unit-tree": ("/units/", READ),
        "communes:unit-detail": (f"/units/{unit('Dũng Nghĩa').pk}/", UNIT_DN),
        "dialogues:plan-list": ("/plans/", READ),
        "dialogues:plan-create": ("/plans/new/", PLAN_EDIT),
        "dialogues:plan-detail": (f"/plans/{p}/", READ),
        "dialogues:plan-update": (f"/plans/{p}/edit/", PLAN_EDIT),
        "dialogues:plan-attachment": (f"/plans/{p}/attachment/", NO_FILE),
        "dialogues:target-add": (f"/plans/{p}/targets/", PLAN_POST),
        "dialogues:target-bulk-add": (f"/plans/{p}/targets/bulk/", PLAN_POST),
        "dialogues:target-delete": (f"/targets/{o['target'].pk}/delete/", PLAN_EDIT),
        "dialogues:plan-coverage": (f"/plans/{p}/coverage/", READ),
        "dialogues:document-list": ("/documents/", READ),
        "dialogues:document-create": ("/documents/new/", PLAN_EDIT),
        "dialogues:document-update": (f"/documents/{o['document'].pk}/edit/", PLAN_EDIT),
        "dialogues:session-list": ("/sessions/", READ),
        "dialogues:session-create": ("/sessions/new/", SCHEDULE),
        "dialogues:session-detail": (f"/sessions/{s}/", READ_DN),
        "dialogues:session-update": (f"/sessions/{s}/edit/", session_step("edit") | HELD_EDIT),
        "dialogues:session-mark-held": (f"/sessions/{s}/held/", session_step("held")),
        "dialogues:session-record": (f"/sessions/{s}/record/", session_step("record")),
        "dialogues:session-postpone": (f"/sessions/{s}/postpone/", session_step("postpone")),
        "dialogues:session-reschedule": (f"/sessions/{s}/reschedule/",
                                          session_step("reschedule") | POST_ONLY_STEP),
        "dialogues:session-cancel": (f"/sessions/{s}/cancel/", session_step("cancel")),
        # Its results are already public (the fixture published them): the officer is sent
        # back to the session with "only board staff can correct it"; board staff correct.
        "dialogues:session-publish": (f"/sessions/{s}/publish/",
                                       {**session_step("publish", "publish_correct"),
                                        "officer": 302}),
        "dialogues:session-minutes-file": (f"/sessions/{s}/minutes/", NO_FILE_DN),
        "dialogues:session-notice": (f"/sessions/{s}/notice/", READ_DN),
        "dialogues:session-calendar": ("/sessions/calendar/", READ),
        "dialogues:session-export-xlsx": ("/sessions/export.xlsx", READ),
        "dialogues:session-export-csv": ("/sessions/export.csv", READ),
        "dialogues:feed-settings": ("/calendar/", READ),
        "dialogues:feed-regenerate": ("/calendar/regenerate/", POST_ONLY),
        "dialogues:session-feed": (f"/calendar/{o['feed'].token}.ics", PUBLIC),
        "feedback:opinion-list": ("/opinions/", READ),
        "feedback:opinion-export-xlsx": ("/opinions/export.xlsx", READ),
        "feedback:opinion-detail": (f"/opinions/{op}/", OPINION_DN),
        # Asking to see the person's data: a POST (tests/test_personal_data.py).
        "feedback:opinion-personal": (f"/opinions/{op}/personal/", PERSONAL_POST),
        "feedback:opinion-answer": (f"/opinions/{op}/answer/", opinion_step("answer")),
        "feedback:opinion-forward": (f"/opinions/{op}/forward/",
                                      opinion_step("forward", "reforward")),
        "feedback:opinion-progress": (f"/opinions/{op}/progress/", opinion_step("progress")),
        "feedback:opinion-resolve": (f"/opinions/{op}/resolve/", opinion_step("resolve")),
        "feedback:opinion-unresolvable": (f"/opinions/{op}/unresolvable/",
                                           opinion_step("unresolvable")),
        "feedback:opinion-reopen": (f"/opinions/{op}/reopen/", opinion_step("reopen")),
        "feedback:opinion-duplicate": (f"/opinions/{op}/duplicate/", opinion_step("duplicate")),
        "feedback:opinion-deadline": (f"/opinions/{op}/deadline/", opinion_step("deadline")),
        "feedback:opinion-correct": (f"/opinions/{op}/correct/", CORRECT_FORWARDED_DN),
        "feedback:opinion-acknowledge": (f"/opinions/{op}/acknowledge/",
                                          opinion_step("acknowledge")),
        "feedback:session-acknowledge": (f"/sessions/{s}/opinions/acknowledge/",
                                          opinion_step("acknowledge")),
        "feedback:session-opinions": (f"/sessions/{s}/opinions/", READ_DN),
        "feedback:opinion-import": (f"/sessions/{s}/opinions/import/", RECORD_DN),
        "feedback:opinion-import-template": ("/opinions/import-template.xlsx", PLAN_EDIT | {
            "officer": 200, "outsider": 200}),
        "feedback:agency-queue": ("/queue/", QUEUE),
        "feedback:opinions-to-route": ("/opinions/to-route/", PLAN_EDIT),
        "reports:report-list": ("/reports/", REPORTS),
        "reports:report-create": ("/reports/new/", REPORTS | {"administrator": 403}),
        "reports:report-detail": (f"/reports/{r}/", REPORT_DN),
        "reports:report-download": (f"/reports/{r}/download/", REPORT_DN),
        "reports:report-download-docx": (f"/reports/{r}/download.docx", REPORT_DN),
        "reports:report-retry": (f"/reports/{r}/retry/", REPORT_POST_STEP_DN),
        "reports:report-edit": (f"/reports/{r}/edit/", REPORT_POST_STEP_DN),
        "reports:report-correct": (f"/reports/{r}/correct/", REPORT_POST_STEP_DN),
        "reports:report-issue": (f"/reports/{r}/issue/", REPORT_ISSUE_DN),
        "reports:report-attach": (f"/reports/{r}/signed/", EDIT_DN),
        "reports:report-signed-copy": (f"/reports/{r}/signed-copy/", NO_FILE_DN),
        "reports:letterhead-mine": ("/reports/letterhead/", LETTERHEAD_MINE),
        "reports:letterhead": (f"/reports/letterhead/{unit('Dũng Nghĩa').pk}/", EDIT_DN),
        "reports:session-minutes-pdf": (f"/reports/sessions/{s}/minutes.pdf", READ_DN),
        "reports:session-notice-pdf": (f"/reports/sessions/{s}/notice.pdf", READ_DN),
        "public:unit-list": ("/cong-khai/", PUBLIC),
        "public:open-data": ("/cong-khai/du-lieu-mo/", PUBLIC),
        "public:language": ("/cong-khai/ngon-ngu/en/", dict.fromkeys(ROLES, 302)),
        "public:unit": (f"/cong-khai/{dn}/", PUBLIC),
        "public:unit-feed": (f"/cong-khai/{dn}/tin.atom", PUBLIC),
        "public:unit-csv": (f"/cong-khai/{dn}/ket-qua.csv", PUBLIC),
        "public:unit-json": (f"/cong-khai/{dn}/ket-qua.json", PUBLIC),
        "public:session": (f"/cong-khai/{dn}/{o['publication'].public_id}/", PUBLIC),
        "public:session-publication": (f"/sessions/{s}/publication/", EDIT_DN),
        "public:session-announce": (f"/sessions/{s}/publication/announce/", PUBLISH_POST_DN),
        "public:session-withdraw-announcement": (
            f"/sessions/{s}/publication/withdraw-announcement/", PUBLISH_POST_DN),
        "public:session-publish-results": (f"/sessions/{s}/publication/results/",
                                            PUBLISH_POST_DN),
        "public:session-withdraw-results": (f"/sessions/{s}/publication/withdraw-results/",
                                             PUBLISH_POST_DN),
        "public:opinion-withdraw": (f"/opinions/{op}/publication/withdraw/", PUBLISH_POST_DN),
        "public:session-results-pdf": (f"/reports/sessions/{s}/results.pdf", EDIT_DN),
        "obligations:compliance": ("/compliance/", REPORTS),
    }  # fmt: skip


def test_the_matrix_names_every_page_of_the_app(objects):
    assert set(matrix(objects)) == {route.name for route in app_routes()}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_specified_answer_on_every_page(actors, objects, role):
    client = actors[role]
    wrong = []
    for name, (url, expected) in matrix(objects).items():
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append((name, url, expected[role], status))
    assert wrong == [], "\n".join(map(str, wrong))


def test_the_outsider_finds_no_row_of_another_commune_in_exports_or_feeds(outsider, objects):
    from accounts.models import User

    feed = CalendarFeed.for_user(User.objects.get(username="bachthuan"))
    ics = outsider.get(f"/calendar/{feed.token}.ics").content.decode()
    assert objects["session"].topic not in ics
    csv = outsider.get("/sessions/export.csv").content.decode("utf-8-sig")
    assert objects["session"].topic not in csv
    response = outsider.get("/opinions/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row}
    assert objects["opinion"].content not in cells
    assert sheet.max_row == 1  # the header only
