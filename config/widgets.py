"""A select that renders its options in Python.

Django renders every <option> through a template of its own and builds a dictionary for it
first: about 50 µs each, so a filter offering a province's 270 units cost more than 10 ms per
page, and the country's 3,700 units far more. The markup here is the same as Django's select.html
and select_option.html (one level of optgroups included); a test compares the two.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        parts = [
            format_html('<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))
        ]

        def option(option_value, label):
            text = "" if option_value is None else str(option_value)
            selected = text in chosen
            if selected and not self.allow_multiple_selected:
                chosen.clear()  # as Django: only the first match is selected
            marker = " selected" if selected else ""
            return f'<option value="{escape(text)}"{marker}>{escape(str(label))}</option>'

        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(option(value_, label_) for value_, label_ in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above
