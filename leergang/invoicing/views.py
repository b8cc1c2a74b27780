"""The programme office's invoice pages (M7), under /<language>/coordinatie/facturen/.

The list shows the invoices a page at a time with what was paid and what is still owed, filtered on
open, partly paid or overdue and searched by number, debtor or participant; an overdue invoice that
was reminded shows the reminder's date. An invoice's page shows its facts and payments, the form to
record a payment and a button per payment to remove one recorded by mistake. Thin views: the services in payments.py decide; their domain errors become form
errors in the reader's language; a change redirects back with a message (post/redirect/get).
Only the programme office may see these pages; for everybody else they do not exist (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, F, Func, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from leergang.accounts import permissions
from leergang.core import formatting, pagination
from leergang.core.errors import DomainError, Invalid, NotFound
from leergang.enrolment.inbox_forms import DomainErrorsMixin

from . import balances, payment_rules, payments, refunds, selectors
from .models import Invoice, InvoiceKind, InvoiceStatus, Payment
from .rules import cents

OVERDUE = "overdue"
PAGE_SIZE = 50
# A search is a few words typed into one box; more than this is not a search an office makes.
MAX_SEARCH_LENGTH = 100
MAX_SEARCH_WORDS = 5
FILTERS = (
    ("", gettext_lazy("All")),
    (InvoiceStatus.OPEN, gettext_lazy("Open")),
    (InvoiceStatus.PARTLY_PAID, gettext_lazy("Partly paid")),
    (OVERDUE, gettext_lazy("Overdue")),
)


class MoneyForm(DomainErrorsMixin, forms.Form):
    """Money that moved (a payment received, a refund paid back) as the office types it; the service
    checks it again and decides what may be recorded. Subclasses name the prefix and their texts."""

    PREFIX = ""
    TEXTS: dict[str, tuple[Any, Any]] = {}  # field: (label, the message when it is left empty)

    paid_on = forms.DateField(
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter a date, for example 2027-02-03.")},
    )
    amount = forms.CharField(
        max_length=30,
        help_text=gettext_lazy("For example 1500.00 or 1500,00."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference (optional)"),
        required=False,
        max_length=payment_rules.MAX_REFERENCE_LENGTH,
        help_text=gettext_lazy("The bank's description or transaction number."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)
        for name, (label, required) in self.TEXTS.items():
            self.fields[name].label = label
            self.fields[name].error_messages["required"] = required

    def clean_amount(self) -> Decimal:
        try:
            return payment_rules.clean_amount(payment_rules.parse_typed_amount(self.cleaned_data["amount"]))
        except Invalid as exc:
            raise forms.ValidationError(exc.errors[0]["message"]) from None


class PaymentForm(MoneyForm):
    PREFIX = "payment"
    TEXTS = {
        "paid_on": (gettext_lazy("Date of payment"), gettext_lazy("Enter the date the payment arrived.")),
        "amount": (gettext_lazy("Amount in euros"), gettext_lazy("Enter the amount that was paid.")),
    }


class RefundForm(MoneyForm):
    """Money paid back by bank on an open credit note (at most what is owed back, which the service checks)."""

    PREFIX = "refund"
    TEXTS = {
        "paid_on": (gettext_lazy("Date of the refund"), gettext_lazy("Enter the date the money was paid back.")),
        "amount": (gettext_lazy("Amount paid back in euros"), gettext_lazy("Enter the amount that was paid back.")),
    }


@dataclass
class Row:
    invoice: Any  # an Invoice, or a row of the list read as a tuple of LIST_VALUES
    paid: Decimal
    owed: Decimal
    overdue: bool
    reminded_at: Any


def _require_office(request: HttpRequest) -> None:
    if not permissions.is_coordinator(request.user):
        raise Http404("not found")


def _documents(invoices=None):
    """Invoices (of `invoices`, else all) with `paid`, `credit_note_number` (the credit note
    correcting it) and `reminder_sent_at` (when its payment reminder went out, else None). The number
    and the date come from joins rather than subqueries or related objects: an invoice has one credit
    note at most (a unique constraint) and one reminder at most (a one-to-one). What was paid is
    payments.PaidColumn, the SQL of payments.paid_sum (a test holds them equal) without its nested
    queryset to build and compile on every page."""
    invoices = Invoice.objects.all() if invoices is None else invoices
    return invoices.annotate(
        paid=payments.PaidColumn(),
        credit_note_number=F("credit_notes__number"),
        reminder_sent_at=F("payment_reminder__sent_at"),
    )


class _OwedSum(Func):
    """An aggregate: what is still owed on the open and partly paid invoices of the query, the sum of
    max(total - paid, 0) with paid as payments.PaidColumn (0 when there are none). Written as SQL
    rather than Sum(Greatest(F("total") - payments.paid_sum()), filter=...): the same value (a test
    holds them equal) without building and compiling the nested querysets on every page (about 0.8 ms)."""

    contains_aggregate = True
    output_field = DecimalField(max_digits=13, decimal_places=2)

    def __init__(self) -> None:
        super().__init__(F("total"), F("pk"), F("status"))

    def as_sql(self, compiler, connection, **extra_context):
        total, pk, status = (compiler.compile(expression)[0] for expression in self.get_source_expressions())
        greatest = "MAX" if connection.vendor == "sqlite" else "GREATEST"  # SQLite's two-argument MAX
        paid = f'(SELECT COALESCE(SUM(p."amount"), 0) FROM "{Payment._meta.db_table}" p WHERE p."invoice_id" = {pk})'  # noqa: S608 - names from the models
        outstanding = ", ".join(["%s"] * len(payment_rules.OUTSTANDING))
        owed = f"{greatest}({total} - {paid}, 0)"
        if connection.features.supports_aggregate_filter_clause:  # as Django writes Sum(filter=...)
            sql = f"COALESCE(SUM({owed}) FILTER (WHERE {status} IN ({outstanding})), 0)"
        else:
            sql = f"COALESCE(SUM(CASE WHEN {status} IN ({outstanding}) THEN {owed} END), 0)"
        return sql, [str(value) for value in payment_rules.OUTSTANDING]


# What the list shows of an invoice: the rest of the snapshot is left unread.
LIST_FIELDS = (
    "number",
    "kind",
    "status",
    "issued_on",
    "due_on",
    "recipient_organisation",
    "recipient_contact_name",
    "participant_name",
    "total",
)
# A page of the list is read as tuples with these names (what _row and _list_rows read), not as
# Invoice objects: fifty objects and their converters were a good part of the page's time.
LIST_VALUES = (*LIST_FIELDS, "paid", "credit_note_number", "reminder_sent_at")


# A row of the list, written out here rather than by the template: fifty rows of a dozen variables,
# tags and filters each were most of the page's time. The markup is what the template had.
_LIST_ROW = (
    '<tr data-number="{number}" data-status="{status}"{overdue_attribute}>\n'
    '        <th scope="row"><a href="{url}">{number}</a></th>\n'
    '        <td><span class="stack-label" aria-hidden="true">{date_label}</span>{issued}<span class="cell-sub">{due}</span></td>\n'
    '        <td><span class="stack-label" aria-hidden="true">{debtor_label}</span>{debtor}</td>\n'
    '        <td><span class="stack-label" aria-hidden="true">{participant_label}</span>{participant}</td>\n'
    '        <td><span class="stack-label" aria-hidden="true">{total_label}</span>{total}</td>\n'
    '        <td data-paid="{paid}"><span class="stack-label" aria-hidden="true">{paid_label}</span>{paid_text}</td>\n'
    '        <td data-owed="{owed}"><span class="stack-label" aria-hidden="true">{owed_label}</span>{owed_text}</td>\n'
    '        <td><span class="stack-label" aria-hidden="true">{status_heading}</span>'
    '<span class="tag invoice-status" data-status="{status}">{status_label}</span>{credited}{overdue_note}</td>\n'
    '        <td class="invoice-reminder"><span class="stack-label" aria-hidden="true">{reminder_label}</span>{reminder}</td>\n'
    "      </tr>"
)


def _list_labels() -> dict[str, str]:
    """The column labels each row repeats (hidden on wide screens), translated and escaped once."""
    labels = {
        "date_label": _("Date"),
        "debtor_label": _("Debtor"),
        "participant_label": _("Participant"),
        "total_label": _("Total"),
        "paid_label": _("Paid"),
        "owed_label": _("Still owed"),
        "status_heading": _("Status"),
        "reminder_label": _("Reminder"),
    }
    return {name: escape(label) for name, label in labels.items()}


def _long_dates():
    """formatting.long_date ("j F Y": `13 januari 2021`) for the current language, written without
    Django's date formatter (some 20 µs a date; a page writes a hundred): the month names are
    translated once. A test holds it equal to formatting.long_date for every day of a year."""
    months = {number: str(name) for number, name in MONTHS.items()}
    return lambda date: f"{date.day} {months[date.month]} {date.year:04d}"


def _list_rows(invoices, today) -> list[SafeString]:
    """The list's rows as HTML. Every value is escaped here (html.escape, what Django's escape does,
    without its per-call overhead: a page escapes some five hundred values)."""
    # One reverse for all rows; the same dates and amounts recur on a page, so each is written once.
    url = reverse("invoices:detail", kwargs={"number": "0000-0000"}).replace("0000-0000", "{}")
    long_date = _long_dates()
    # The message the template's blocktranslate tag had (its translations hold no markup).
    due_text = _("due %(date)s")
    dates: dict[Any, tuple[str, str]] = {}
    amounts: dict[str, tuple[str, str]] = {}

    def date_texts(date) -> tuple[str, str]:
        """The date as the row writes it, escaped: on its own and as "due <date>"."""
        if date not in dates:
            written = long_date(date)
            dates[date] = (escape(written), escape(due_text % {"date": written}))
        return dates[date]

    def amount_texts(amount) -> tuple[str, str]:
        """The amount in a data attribute and in words, escaped. Keyed on its text: Decimal("1.0")
        == Decimal("1.00"), but they are written differently."""
        key = str(amount)
        if key not in amounts:
            amounts[key] = (escape(formats.localize(amount)), escape(formatting.money(amount)))
        return amounts[key]

    # The column labels go into the row's markup once (braces doubled: the rows are written with format).
    template = _LIST_ROW
    for name, label in _list_labels().items():
        template = template.replace("{" + name + "}", label.replace("{", "{{").replace("}", "}}"))
    statuses = {value: escape(str(label)) for value, label in InvoiceStatus.choices}
    overdue_note = f'<span class="cell-sub"><strong>{escape(_("Overdue"))}</strong></span>'
    not_sent_text = _("not sent yet")  # outside the f-string, where makemessages finds it
    not_sent = f'<span class="subtle">{escape(not_sent_text)}</span>'
    rows = []
    for invoice in invoices:
        row = _row(invoice, today)
        if row.reminded_at:
            # As the template's blocktranslate tag said it (its translations hold no markup).
            sent = _("sent %(date)s") % {"date": long_date(row.reminded_at)}
            reminder = f'<span data-reminded="{row.reminded_at:%Y-%m-%d}">{escape(sent)}</span>'
        else:
            reminder = not_sent if row.overdue else '<span class="subtle">–</span>'
        credited = ""
        if invoice.credit_note_number:
            by = _("by credit note %(number)s") % {"number": invoice.credit_note_number}
            credited = f'<span class="cell-sub">{escape(by)}</span>'
        number = escape(invoice.number)
        status = escape(invoice.status)
        paid, paid_text = amount_texts(row.paid)
        owed, owed_text = amount_texts(row.owed)
        html = template.format(
            number=number,
            status=status,
            overdue_attribute=' data-overdue="true"' if row.overdue else "",
            url=escape(url.format(invoice.number)),
            issued=date_texts(invoice.issued_on)[0],
            due=date_texts(invoice.due_on)[1],
            debtor=escape(invoice.recipient_organisation or invoice.recipient_contact_name),
            participant=escape(invoice.participant_name),
            total=amount_texts(invoice.total)[1],
            paid=paid,
            paid_text=paid_text,
            owed=owed,
            owed_text=owed_text,
            status_label=statuses.get(invoice.status, status),
            credited=credited,
            overdue_note=overdue_note if row.overdue else "",
            reminder=reminder,
        )
        rows.append(mark_safe(html))  # noqa: S308 - every value above is escaped
    return rows


def _row(invoice: Any, today) -> Row:
    owed = (
        payment_rules.still_owed(invoice.total, invoice.paid)
        if invoice.kind == InvoiceKind.INVOICE and invoice.status in payment_rules.OUTSTANDING
        else payment_rules.ZERO
    )
    return Row(
        invoice=invoice,
        paid=cents(invoice.paid),  # SQLite's sums lose the trailing zeros
        owed=owed,
        overdue=payment_rules.is_overdue(status=invoice.status, due_on=invoice.due_on, on=today),
        reminded_at=timezone.localtime(invoice.reminder_sent_at) if invoice.reminder_sent_at is not None else None,
    )


class _CountedPaginator(Paginator):
    """A paginator told its count: the list's one aggregate query counts the invoices with what is
    owed, so the paginator need not count them again."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _narrowed(invoices, *, shown: str, words: str, today):
    """The invoices (not credit notes) the filter `shown` and the search `words` leave: those whose
    number, debtor (organisation or contact) or participant contains every word."""
    invoices = invoices.filter(kind=InvoiceKind.INVOICE)
    if shown == OVERDUE:
        invoices = invoices.filter(status__in=payment_rules.OUTSTANDING, due_on__lt=today)
    elif shown:
        invoices = invoices.filter(status=shown)
    for word in words.split()[:MAX_SEARCH_WORDS]:
        invoices = invoices.filter(
            Q(number__icontains=word)
            | Q(recipient_organisation__icontains=word)
            | Q(recipient_contact_name__icontains=word)
            | Q(participant_name__icontains=word)
        )
    return invoices


def _listed(*, shown: str, words: str, today):
    """The list's invoices, newest first, as tuples of LIST_VALUES (what `_list_rows` writes)."""
    return (
        _documents(_narrowed(Invoice.objects.all(), shown=shown, words=words, today=today))
        .order_by("-year", "-sequence")
        .values_list(*LIST_VALUES, named=True)
    )


def _list_url():
    """pagination.list_url("invoices:list", ...) with the list's address reversed once, not for each
    of the dozen links a page has (the filters, the pages, the search's reset)."""
    base = reverse("invoices:list")

    def list_url(**params: Any) -> str:
        kept = {key: value for key, value in params.items() if value and not (key == "page" and value == 1)}
        return f"{base}?{urlencode(kept)}" if kept else base

    return list_url


@require_safe
def invoice_list(request: HttpRequest) -> HttpResponse:
    """The invoices, newest first, PAGE_SIZE a page; `?status=open|partly_paid|overdue` and `?q=` (words
    in the number, debtor or participant) narrow them, `?page=` pages through them. Two queries
    however many invoices there are: the count with what is still owed, and one page of rows.
    A page number that is not a number shows the first page, one past the end the last (never an error)."""
    _require_office(request)
    today = timezone.localdate()
    shown = request.GET.get("status", "")
    if shown not in dict(FILTERS):
        shown = ""
    # A NUL byte would make PostgreSQL refuse the query (a 500); nobody types one.
    words = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:MAX_SEARCH_LENGTH]
    invoices = _narrowed(Invoice.objects.all(), shown=shown, words=words, today=today)
    # The count and what is still owed on the whole selection, not just this page, in one query: the
    # payments are summed only for the open and partly paid invoices (as `_row` counts them).
    summary = invoices.aggregate(count=Count("pk"), owed=_OwedSum())
    paginator = _CountedPaginator(
        _documents(invoices).order_by("-year", "-sequence").values_list(*LIST_VALUES, named=True),
        PAGE_SIZE,
        count=summary["count"],
    )
    page = paginator.get_page(request.GET.get("page"))
    rows = _list_rows(page.object_list, today)
    list_url = _list_url()
    filters = [{"label": label, "url": list_url(status=value, q=words), "current": value == shown} for value, label in FILTERS]
    context = {
        "rows": rows,
        "page": page,
        **pagination.navigation(page, lambda number: list_url(status=shown, q=words, page=number)),
        "filters": filters,
        "shown": shown,
        "shown_label": dict(FILTERS)[shown],
        "words": words,
        "clear_url": list_url(status=shown),
        "count": paginator.count,
        "owed_total": cents(summary["owed"]),  # SQLite's sums lose the trailing zeros
    }
    return render(request, "invoicing/invoice_list.html", context)


# What an invoice's page does not show of the snapshot (the PDF does): left unread.
DETAIL_UNUSED = (
    "lines",
    "reason",
    "vat_exemption_note",
    *(field.name for field in Invoice._meta.concrete_fields if field.name.startswith("issuer_")),
)


def _invoice(number: str) -> Invoice:
    """The invoice or credit note with this number as its page shows it, or a 404: with
    `reminder_sent_at`, `credit_note_number` (the credit note correcting it) and `corrects_number` (the invoice a credit
    note corrects). Both numbers come from joins (an invoice has one credit note at most, a unique
    constraint), not from subqueries or whole snapshots; what was paid comes with the payments
    (`_detail`). The number is unique, so the query has no ordering: sorting the select list of a
    query this wide costs more than running it."""
    if not selectors.NUMBER.fullmatch(number):
        raise Http404("There is no invoice with this number.")
    found = list(
        Invoice.objects.defer(*DETAIL_UNUSED)
        .annotate(
            credit_note_number=F("credit_notes__number"),
            corrects_number=F("corrects__number"),
            reminder_sent_at=F("payment_reminder__sent_at"),
        )
        .filter(number=number)
        .order_by()[:1]
    )
    if not found:
        raise Http404("There is no invoice with this number.")
    return found[0]


def _kind_of(number: str) -> str:
    """The kind of the document with this number, or a 404: what a change needs to know before its
    service (which loads and locks the document itself) runs. One light query."""
    kind = (
        Invoice.objects.filter(number=number).values_list("kind", flat=True).first()
        if selectors.NUMBER.fullmatch(number)
        else None
    )
    if kind is None:
        raise Http404("There is no invoice with this number.")
    return kind


def _payments(invoice: Invoice) -> list[Payment]:
    """The invoice's payments, each with `carried_from_number`, the number of the credit note it was
    carried over from (None for money that arrived): one query. Only the number is read, not the
    credit note (a whole snapshot for one number)."""
    return list(
        Payment.objects.filter(invoice=invoice)
        .annotate(carried_from_number=F("offset_from__credit_note__number"))
        .order_by("paid_on", "pk")
    )


def _detail(
    request: HttpRequest,
    invoice: Invoice,
    *,
    form: PaymentForm | None = None,
    refund_form: RefundForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        found = []
        invoice.paid = payment_rules.ZERO  # credit notes take no payments (payments.record_payment)
    else:
        found = _payments(invoice)
        invoice.paid = sum((payment.amount for payment in found), payment_rules.ZERO)
    row = _row(invoice, timezone.localdate())
    payable = invoice.kind == InvoiceKind.INVOICE and invoice.status in payment_rules.OUTSTANDING
    if form is None and payable:
        form = PaymentForm(initial={"paid_on": timezone.localdate(), "amount": f"{row.owed:.2f}"})
    context = {
        "invoice": invoice,
        "row": row,
        "payable": payable or form is not None,
        "removable": invoice.status not in (InvoiceStatus.CREDITED, InvoiceStatus.CANCELLED),
        "form": form,
    }
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        # What refunds.still_owed_back works out, from the refunds the page lists and one sum (rather
        # than summing the same payments and refunds again).
        given_back = refunds.refunds_of(invoice)
        paid_on_corrected = cents(
            Payment.objects.filter(invoice_id=invoice.corrects_id).aggregate(s=Sum("amount", default=payment_rules.ZERO))["s"]
        )
        owed_back = (
            balances.owed_back(
                paid_on_corrected=paid_on_corrected,
                refunded=sum((refund.amount for refund in given_back), payment_rules.ZERO),
            )
            if invoice.status == InvoiceStatus.OPEN
            else payment_rules.ZERO
        )
        refundable = owed_back > 0
        if refund_form is None and refundable:
            refund_form = RefundForm(initial={"paid_on": timezone.localdate(), "amount": f"{owed_back:.2f}"})
        context.update(
            {
                "refunds": given_back,
                "owed_back": owed_back,
                "paid_on_corrected": paid_on_corrected,
                "refundable": refundable or refund_form is not None,
                "refund_form": refund_form,
            }
        )
    else:
        context["payments"] = found
        context["any_removable"] = any(payment.carried_from_number is None for payment in found)
    return render(request, "invoicing/invoice_detail.html", context, status=status)


@require_safe
def invoice_detail(request: HttpRequest, number: str) -> HttpResponse:
    _require_office(request)
    return _detail(request, _invoice(number))


def _record_money(request: HttpRequest, number: str, *, form: MoneyForm, form_key: str, record, message) -> HttpResponse:
    """The flow both money forms share: check the form, call the service `record(actor, number, fields)`,
    show its refusal on the form or go back to the document with `message` about the recorded row.
    The document itself is loaded only to show the page again."""
    if not form.is_valid():
        return _detail(request, _invoice(number), status=422, **{form_key: form})
    try:
        row = record(request.user, number, form.cleaned_data)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except DomainError as exc:
        form.add_domain_error(exc)
        return _detail(request, _invoice(number), status=exc.status, **{form_key: form})
    messages.success(request, message(row))
    return redirect("invoices:detail", number=number)


@require_POST
def record_payment(request: HttpRequest, number: str) -> HttpResponse:
    _require_office(request)
    _kind_of(number)
    return _record_money(
        request,
        number,
        form=PaymentForm(request.POST),
        form_key="form",
        record=lambda actor, number, data: payments.record_payment(actor=actor, invoice_number=number, **data),
        message=lambda payment: (
            _("Payment of %(amount)s recorded. Invoice %(number)s is now %(status)s.")
            % {
                "amount": formatting.money(payment.amount),
                "number": number,
                "status": str(payment.invoice.get_status_display()).lower(),
            }
        ),
    )


@require_POST
def remove_payment(request: HttpRequest, number: str, payment_id: int) -> HttpResponse:
    _require_office(request)
    _kind_of(number)
    try:
        invoice = payments.remove_payment(actor=request.user, invoice_number=number, payment_id=payment_id)
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(
            request,
            _("The payment was removed. Invoice %(number)s is now %(status)s.")
            % {"number": invoice.number, "status": str(invoice.get_status_display()).lower()},
        )
    return redirect("invoices:detail", number=number)


@require_POST
def record_refund(request: HttpRequest, number: str) -> HttpResponse:
    """Record money paid back by bank on an open credit note (refunds.record_refund)."""
    _require_office(request)
    if _kind_of(number) != InvoiceKind.CREDIT_NOTE:
        raise Http404("Refunds are recorded on credit notes; an invoice has no refunds page.")
    return _record_money(
        request,
        number,
        form=RefundForm(request.POST),
        form_key="refund_form",
        record=lambda actor, number, data: refunds.record_refund(actor=actor, credit_note_number=number, **data),
        message=lambda refund: (
            _("Refund of %(amount)s recorded. Credit note %(number)s is now %(status)s.")
            % {
                "amount": formatting.money(refund.amount),
                "number": number,
                "status": str(refund.credit_note.get_status_display()).lower(),
            }
        ),
    )
