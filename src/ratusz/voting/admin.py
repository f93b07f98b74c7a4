"""The organiser's console: create a vote, nominate from rankings, import voters, invite, watch turnout, close, publish.

Every change made here is written to the vote's audit log with the organiser's user name.
"""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ratusz.errors import RatuszError
from ratusz.voting import audit, elections, invitations
from ratusz.voting.models import AuditEvent, Category, Election, Invitation, ShortlistEntry, Voter
from ratusz.voting.results import turnout

ORGANISE_PERM = "voting.organise_election"


def _actor(request: HttpRequest) -> str:
    return f"admin:{request.user.get_username()}"


class OrganiserMixin:
    """Admin pages of the vote: organiser rights required, every save and delete audited."""

    def has_organise_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(ORGANISE_PERM)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.has_perm(ORGANISE_PERM)

    def _election_of(self, obj) -> Election | None:
        return obj if isinstance(obj, Election) else getattr(obj, "election", None)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        what = "zmieniono" if change else "dodano"
        fields = ", ".join(form.changed_data) if change else ""
        audit.record(
            AuditEvent.Kind.ORGANISER,
            self._election_of(obj),
            actor=_actor(request),
            detail=f"{what} {obj._meta.verbose_name}: {obj}" + (f" ({fields})" if fields else ""),
        )

    def delete_model(self, request, obj) -> None:
        election = self._election_of(obj)
        label = f"{obj._meta.verbose_name}: {obj}"
        super().delete_model(request, obj)
        if election is not None and Election.objects.filter(pk=election.pk).exists():
            audit.record(
                AuditEvent.Kind.ORGANISER, election, actor=_actor(request), detail=f"usunięto {label}"
            )


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    fields = ["key", "name", "order", "ranking_run", "top_n", "shortlist_link"]
    readonly_fields = ["shortlist_link"]
    raw_id_fields = ["ranking_run"]

    @admin.display(description=_("lista nominowanych"))
    def shortlist_link(self, obj: Category) -> str:
        if not obj.pk:
            return "—"
        url = reverse("admin:voting_category_change", args=[obj.pk])
        return format_html('<a href="{}">{} profili</a>', url, obj.shortlist.count())


class VoterImportForm(forms.Form):
    file = forms.FileField(label=_("Plik CSV (kolumny: teryt, email, name)"))


@admin.register(Election)
class ElectionAdmin(OrganiserMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "state_label", "opens_at", "closes_at", "turnout_label"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CategoryInline]
    readonly_fields = ["tie_seed_hash", "closed_early_at", "results_published_at", "overview"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description"]}),
        (
            _("Zasady"),
            {"fields": ["opens_at", "closes_at", "picks_required", "forbid_own_unit", "tie_seed_hash"]},
        ),
        (_("Przebieg"), {"fields": ["overview", "closed_early_at", "results_published_at"]}),
    ]
    actions = ["nominate_from_rankings", "send_invitations", "export_links", "close_now", "publish_results"]

    @admin.display(description=_("stan"))
    def state_label(self, obj: Election) -> str:
        return {"upcoming": "przed otwarciem", "open": "trwa", "closed": "zamknięte", "published": "wyniki"}[
            obj.state()
        ]

    @admin.display(description=_("frekwencja"))
    def turnout_label(self, obj: Election) -> str:
        t = turnout(obj)
        return f"{t.voted}/{t.eligible}" + (
            f" ({number_format(t.percent, 1)}%)" if t.percent is not None else ""
        )

    @admin.display(description=_("przegląd"))
    def overview(self, obj: Election) -> str:
        if not obj.pk:
            return "—"
        t = turnout(obj)
        problems = elections.check_ready(obj)
        return format_html(
            "{}<br>Uprawnieni: {} · zaproszeni: {} · zagłosowali: {} · kart: {}<br>"
            '<a href="{}">strona głosowania</a> · <a href="{}">frekwencja na żywo</a> · <a href="{}">wyniki</a> · '
            '<a href="{}">importuj uprawnionych (CSV)</a> · <a href="{}">uprawnieni</a> · <a href="{}">dziennik</a>',
            ("Gotowe do głosowania." if not problems else "Do zrobienia: " + "; ".join(problems) + "."),
            t.eligible,
            t.invited,
            t.voted,
            t.ballots,
            reverse("voting:election", args=[obj.slug]),
            reverse("voting:turnout", args=[obj.slug]),
            reverse("voting:results", args=[obj.slug]),
            reverse("admin:voting_election_import_voters", args=[obj.pk]),
            reverse("admin:voting_voter_changelist") + f"?election__id__exact={obj.pk}",
            reverse("admin:voting_auditevent_changelist") + f"?election__id__exact={obj.pk}",
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.ballots.exists():
            fields += ["opens_at", "picks_required", "forbid_own_unit", "slug"]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.ballots.exists():
            return {}
        return super().get_prepopulated_fields(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.ballots.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            elections.ensure_seed(obj)
        super().save_model(request, obj, form, change)
        if not change:
            audit.record(
                AuditEvent.Kind.CREATED,
                obj,
                actor=_actor(request),
                detail=f"Utworzono; skrót SHA-256 ziarna losowania remisów: {obj.tie_seed_hash}",
            )

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/import-voters/",
                self.admin_site.admin_view(self.import_voters_view),
                name="voting_election_import_voters",
            ),
        ]
        return urls + super().get_urls()

    def _run(self, request, fn, ok_message: str) -> None:
        try:
            result = fn()
        except RatuszError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, ok_message.format(result=result), messages.SUCCESS)

    @admin.action(
        description=_("Nominuj z rankingów (czołówka N każdej kategorii)"), permissions=["organise"]
    )
    def nominate_from_rankings(self, request, queryset) -> None:
        for election in queryset:
            self._run(
                request,
                lambda e=election: elections.shortlists_from_rankings(e, actor=_actor(request)),
                f"{election.name}: uzupełniono listy nominowanych w {{result}} kategoriach.",
            )

    @admin.action(
        description=_("Wyślij zaproszenia (tym, którzy jeszcze nie dostali linku)"), permissions=["organise"]
    )
    def send_invitations(self, request, queryset) -> None:
        for election in queryset:
            problems = elections.check_ready(election)
            if problems:
                self.message_user(
                    request, f"{election.name}: najpierw popraw: {'; '.join(problems)}.", messages.ERROR
                )
                continue
            self._run(
                request,
                lambda e=election: invitations.send_invitations(e, actor=_actor(request)),
                f"{election.name}: wysłano {{result}} zaproszeń.",
            )

    @admin.action(description=_("Zamknij głosowanie teraz"), permissions=["organise"])
    def close_now(self, request, queryset) -> None:
        for election in queryset:
            self._run(
                request,
                lambda e=election: elections.close_now(e, actor=_actor(request)),
                f"{election.name}: głosowanie zamknięte.",
            )

    @admin.action(description=_("Opublikuj wyniki (po zamknięciu)"), permissions=["organise"])
    def publish_results(self, request, queryset) -> None:
        for election in queryset:
            self._run(
                request,
                lambda e=election: elections.publish_results(e, actor=_actor(request)),
                f"{election.name}: wyniki opublikowane.",
            )

    def import_voters_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_organise_permission(request):
            raise PermissionDenied
        election = get_object_or_404(Election, pk=pk)
        form = VoterImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = elections.import_voters_csv(
                    election, form.cleaned_data["file"].read(), actor=_actor(request)
                )
            except RatuszError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Zaimportowano uprawnionych: {result.created} nowych, {result.updated} zmienionych.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:voting_election_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Import uprawnionych: {election.name}",
            "form": form,
            "election": election,
            "opts": self.model._meta,
        }
        return render(request, "admin/voting/import_voters.html", context)

    @admin.action(
        description=_("Pobierz linki dla newslettera (CSV) zamiast wysyłki"), permissions=["organise"]
    )
    def export_links(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Zaznacz dokładnie jedno głosowanie.", messages.ERROR)
            return None
        election = queryset.get()
        try:
            rows = invitations.export_links(election, actor=_actor(request))
        except RatuszError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return None
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["teryt", "unit", "email", "link"])
        writer.writerows([r.teryt, r.unit, r.email, r.link] for r in rows)
        response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="{election.slug}-linki-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response


class ShortlistInline(admin.TabularInline):
    model = ShortlistEntry
    extra = 0
    autocomplete_fields = ["profile"]
    fields = ["position", "profile"]


@admin.register(Category)
class CategoryAdmin(OrganiserMixin, admin.ModelAdmin):
    list_display = ["name", "key", "election", "ranking_run", "top_n"]
    list_filter = ["election"]
    raw_id_fields = ["ranking_run"]
    inlines = [ShortlistInline]
    actions = ["nominate"]

    @admin.action(description=_("Nominuj czołówkę N z wybranego rankingu"), permissions=["organise"])
    def nominate(self, request, queryset) -> None:
        for category in queryset:
            if not category.ranking_run_id:
                self.message_user(request, f"{category}: wybierz najpierw ranking.", messages.ERROR)
                continue
            try:
                n = elections.shortlist_from_ranking(
                    category, category.ranking_run_id, category.top_n, actor=_actor(request)
                )
            except RatuszError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, f"{category}: {n} nominowanych.", messages.SUCCESS)


class VotedFilter(admin.SimpleListFilter):
    title = _("głos")
    parameter_name = "voted"

    def lookups(self, request, model_admin):
        return [("yes", _("oddany")), ("no", _("jeszcze nie"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(voted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(voted_at__isnull=True)
        return queryset


@admin.register(Voter)
class VoterAdmin(OrganiserMixin, admin.ModelAdmin):
    list_display = ["unit", "email", "election", "link_state", "voted_at"]
    list_filter = ["election", VotedFilter]
    search_fields = ["unit__name", "unit__teryt", "email"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit", "election"]
    actions = ["send_or_resend", "revoke_links"]

    @admin.display(description=_("link"))
    def link_state(self, obj: Voter) -> str:
        inv = obj.invitations.order_by("-created_at").first()
        if inv is None:
            return "nie wysłano"
        if inv.used_at:
            return "użyty"
        if inv.revoked_at:
            return "unieważniony"
        if inv.opened_at:
            return "otwarty"
        return "wysłany" if inv.sent_at else "utworzony"

    @admin.action(
        description=_("Wyślij link ponownie (nowy link, stary przestaje działać)"), permissions=["organise"]
    )
    def send_or_resend(self, request, queryset) -> None:
        by_election: dict[int, list[Voter]] = {}
        for voter in queryset.select_related("election", "unit"):
            by_election.setdefault(voter.election_id, []).append(voter)
        for voters in by_election.values():
            election = voters[0].election
            try:
                n = invitations.send_invitations(election, voters, actor=_actor(request))
            except RatuszError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, f"{election.name}: wysłano {n} linków.", messages.SUCCESS)

    @admin.action(description=_("Unieważnij link"), permissions=["organise"])
    def revoke_links(self, request, queryset) -> None:
        total = sum(invitations.revoke(v, actor=_actor(request)) for v in queryset.select_related("election"))
        self.message_user(request, f"Unieważniono linków: {total}.", messages.SUCCESS)


class ReadOnlyAdmin(OrganiserMixin, admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["voter", "channel", "created_at", "sent_at", "opened_at", "used_at", "revoked_at"]
    list_filter = ["voter__election", "channel"]
    search_fields = ["voter__unit__name", "voter__email"]
    list_select_related = ["voter__unit"]
    exclude = ["token_hash"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "election", "voter", "actor", "reason", "detail"]
    list_filter = ["kind", "election", "reason"]
    search_fields = ["actor", "detail", "voter__unit__name"]
    list_select_related = ["election", "voter__unit"]
