"""What residents may see: a session's announcement and its results, once staff publish them.

Nothing is public until someone publishes it, and anything published can be withdrawn. A row is
never deleted: publishing again after a withdrawal clears the withdrawal and records who and when.
The public pages read only through `PublicSessionQuerySet.public()` and
`OpinionPublicationQuerySet.public()`; what is not there does not exist for them.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogues.models import SessionStatus
from feedback.text import fold


def _user_field(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=verbose_name, on_delete=models.PROTECT,
        related_name="+", null=True, editable=False,
    )  # fmt: skip


# A session's announcement is public once published and not withdrawn.
ANNOUNCED = Q(publication__announced_at__isnull=False, publication__announcement_withdrawn_at=None)
# Its results are public once published and not withdrawn; only a held session has results.
RESULTS_PUBLIC = Q(
    status=SessionStatus.HELD,
    publication__results_published_at__isnull=False,
    publication__results_withdrawn_at=None,
)


def new_public_id() -> str:
    """The address of a published thing: random, so it tells nothing about how many exist."""
    return secrets.token_urlsafe(8)


class SessionPublication(models.Model):
    """What of one session is public: its announcement, its results (the opinions' own rows say
    which of them). `version` counts the writes, so a page opened before someone else's change
    is told instead of overwriting it (config/concurrency.py)."""

    session = models.OneToOneField(
        "dialogues.Session", verbose_name=_("session"), on_delete=models.CASCADE,
        related_name="publication",
    )  # fmt: skip
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    announced_at = models.DateTimeField(_("announcement published at"), null=True, editable=False)
    announced_by = _user_field(_("announcement published by"))
    announcement_withdrawn_at = models.DateTimeField(
        _("announcement withdrawn at"), null=True, editable=False
    )
    announcement_withdrawn_by = _user_field(_("announcement withdrawn by"))
    results_published_at = models.DateTimeField(
        _("results published at"), null=True, editable=False
    )
    results_published_by = _user_field(_("results published by"))
    results_withdrawn_at = models.DateTimeField(
        _("results withdrawn at"), null=True, editable=False
    )
    results_withdrawn_by = _user_field(_("results withdrawn by"))
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("session publication")
        verbose_name_plural = _("session publications")

    def __str__(self):
        return str(self.session)

    @property
    def is_announced(self) -> bool:
        return self.announced_at is not None and self.announcement_withdrawn_at is None

    @property
    def results_are_public(self) -> bool:
        return self.results_published_at is not None and self.results_withdrawn_at is None


class OpinionPublicationQuerySet(models.QuerySet):
    def live(self):
        """Published and not withdrawn (the session's results may still be withdrawn)."""
        return self.filter(published_at__isnull=False, withdrawn_at=None)

    def public(self):
        """What a resident sees: published, not withdrawn, of a session whose results are public."""
        return self.live().filter(
            session__status=SessionStatus.HELD,
            session__publication__results_published_at__isnull=False,
            session__publication__results_withdrawn_at=None,
        )

    def search(self, query: str):
        """Every word of the query in the published text or field, ignoring diacritics and case.
        Only what is published is searched: a name in the internal record finds nothing."""
        for word in fold(query).split():
            self = self.filter(search_text__contains=word)
        return self


class OpinionPublication(models.Model):
    """One opinion as residents see it: the text staff wrote for publication (no names, phones
    or addresses), its field, and, read from the opinion as it moves, its answer and status."""

    opinion = models.OneToOneField(
        "feedback.Opinion", verbose_name=_("opinion"), on_delete=models.CASCADE,
        related_name="publication",
    )  # fmt: skip
    # The opinion's session, kept here so a session's or a unit's results are one indexed query.
    session = models.ForeignKey(
        "dialogues.Session", verbose_name=_("session"), on_delete=models.CASCADE,
        related_name="published_opinions",
    )  # fmt: skip
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    text = models.TextField(_("text as published"), max_length=4000)
    search_text = models.TextField(editable=False, default="")
    published_at = models.DateTimeField(_("published at"), null=True, editable=False)
    published_by = _user_field(_("published by"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, editable=False)
    withdrawn_by = _user_field(_("withdrawn by"))

    objects = OpinionPublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("published opinion")
        verbose_name_plural = _("published opinions")
        indexes = [models.Index(fields=["session", "published_at"], name="public_opinion_session")]

    def __str__(self):
        return self.text[:60]

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.text} {self.opinion.field.name}")
        super().save(*args, **kwargs)

    @property
    def is_live(self) -> bool:
        return self.published_at is not None and self.withdrawn_at is None
