"""The opinion list with its filters and search, and the same list as an Excel file."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import allow
from config.exports import XLSX, attachment, export_or_back
from config.pagination import CappedPaginator
from obligations.rules import RuleBook, acknowledge_deadline

from ..access import READERS
from ..exports import MAX_EXPORT_ROWS, opinion_dataset
from ..filters import OpinionFilter
from ..forms import PurposeForm
from ..models import AccessAction, Opinion
from ..personal import log_access

OPINIONS_PER_PAGE = 25


@allow(*READERS)
@require_safe
def opinion_list(request):
    opinion_filter = OpinionFilter(request.GET or None, user=request.user)
    session = None
    if not opinion_filter.is_bound:
        opinions = opinion_filter.queryset
    elif opinion_filter.is_valid():
        opinions = opinion_filter.qs
        session = opinion_filter.form.cleaned_data.get("session")
    else:
        # The errors show next to the fields; a wrong filter must not look like "everything".
        opinions = Opinion.objects.none()
    if opinion_filter.is_urgent:
        # Every row waits for an agency: by deadline is overdue first, then the most urgent.
        opinions = opinions.order_by("deadline", "pk")
    else:
        opinions = opinions.order_by("-session__starts_at", "-pk")
    paginator = CappedPaginator(opinions.for_list(), OPINIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    today = timezone.localdate()
    book = RuleBook.load(today)  # the rules and holidays once for the page, not per row
    for opinion in page.object_list:
        opinion.days_overdue = (today - opinion.deadline).days if opinion.is_overdue else None
        opinion.acknowledge = acknowledge_deadline(book, opinion)
    context = {"filter": opinion_filter, "page": page, "session": session,
               **_export_form(request)}  # fmt: skip
    return render(request, "feedback/opinion_list.html", context)


def _export_form(request):
    """The export form as sent back (its purpose missing: said next to the box, kept)."""
    asked = request.GET.get("personal") == "1"
    purpose = request.GET.get("purpose", "")
    return {
        "export_personal": asked,
        "export_purpose": purpose,
        "export_purpose_error": PurposeForm.base_fields["purpose"].error_messages["required"]
        if asked and not purpose.strip()
        else "",
        "export_query": [
            (key, value)
            for key, values in request.GET.lists()
            if key not in ("page", "personal", "purpose")
            for value in values
        ],
    }


@allow(*READERS)
@require_safe
def opinion_export_xlsx(request):
    """The opinions the list shows with the same filter, or back to the list to fix it."""
    opinions, refused = export_or_back(
        request,
        OpinionFilter(request.GET, user=request.user),
        list_url=reverse("feedback:opinion-list"),
        max_rows=MAX_EXPORT_ROWS,
        invalid_message=_("The opinions were not exported: correct the filter first. %(errors)s"),
        too_many_message=_(
            "%(count)s opinions match the filter; an export holds at most %(max)s. "
            "Narrow the filter, for example to a shorter period or one unit."
        ),
    )
    if refused:
        return refused
    personal = request.GET.get("personal") == "1"
    purpose = PurposeForm({"purpose": request.GET.get("purpose", "")})
    if personal and not purpose.is_valid():
        # Back to the list, where the box says what is missing, with what was typed.
        return redirect(f"{reverse('feedback:opinion-list')}?{request.GET.urlencode()}")
    dataset, shown = opinion_dataset(
        opinions, base_url=request.build_absolute_uri("/").rstrip("/"), user=request.user,
        personal=personal,
    )  # fmt: skip
    if shown:
        log_access(
            user=request.user, action=AccessAction.EXPORT,
            purpose=purpose.cleaned_data["purpose"], opinion_ids=shown,
        )  # fmt: skip
    filename = f"y-kien-nhan-dan-{timezone.localdate():%Y-%m-%d}.xlsx"
    return attachment(dataset.export("xlsx"), content_type=XLSX, filename=filename)
