"""`{{ form.field|as_filter_field }}`: a list page's filter in Bootstrap 5 markup.

The same markup as crispy-forms' bootstrap5 pack writes for `as_crispy_field` (label, widget with
its classes, errors, help), built in Python: crispy's nested templates cost about a millisecond
per field, and the opinion list has nine. Forms that people fill in keep crispy-forms.
"""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _bootstrap_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def as_filter_field(field):
    widget = field.field.widget
    auto_id = field.auto_id
    classes = [type(widget).__name__.lower(), _bootstrap_class(widget)]
    if widget.attrs.get("class"):
        classes.insert(0, widget.attrs["class"])
    if field.errors:
        classes.append("is-invalid")
    attrs = {"class": " ".join(classes)}
    if field.errors:
        attrs |= {"aria-invalid": "true", "aria-describedby": f"{auto_id}_error"}
    rendered = field.as_widget(attrs=attrs)
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, auto_id, error) for number, error in enumerate(field.errors, start=1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', auto_id, field.help_text
        )
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            auto_id, rendered, auto_id, field.label, errors, help_text,
        )  # fmt: skip
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        auto_id, auto_id, field.label, rendered, errors, help_text,
    )  # fmt: skip
