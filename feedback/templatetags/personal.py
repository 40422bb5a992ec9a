"""`{% person opinion as p %}`: the person's data of an opinion as the signed-in user may see it
(feedback/personal.py). Templates never print opinion.raised_by, .phone or .address."""

from django import template

from ..personal import person as person_for

register = template.Library()


@register.simple_tag(takes_context=True)
def person(context, opinion):
    """`personal_asked` in the context: the view logged the user's request to see them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return person_for(user, opinion, asked=bool(context.get("personal_asked")))
