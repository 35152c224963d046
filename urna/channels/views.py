"""Staff pages of the channels app: inbound messages (retry failed ones) and linked posts."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from urna.accounts.permissions import entity_ids_for, scope_queryset, staff_required
from urna.accounts.staff_tools import tool_required
from urna.channels.console.forms import ErrorsDescribed
from urna.channels.models import InboundMessage, SocialPostLink
from urna.channels.selectors import inbound_for_staff
from urna.channels.services import inbound_retry, social_link_create
from urna.core.personal_data import mask
from urna.core.web import run_action
from urna.exercises.models import Exercise


# Inbound messages belong to no entity until routed: the platform team handles them (the tool
# is declared platform-wide in urna.accounts.staff_tools).
@staff_required
@tool_required("channels:inbound_list")
def inbound_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("estado", "")
    queryset = inbound_for_staff(status=status)
    page = Paginator(queryset, 50).get_page(request.GET.get("pagina"))
    rows = [(message, mask(message.sender.split(":")[-1])) for message in page]
    return render(
        request,
        "channels/inbound_list.html",
        {"page": page, "rows": rows, "status": status, "statuses": InboundMessage.Status.choices},
    )


@staff_required
@tool_required("channels:inbound_list")
@require_POST
def inbound_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(InboundMessage, pk=pk)
    message = inbound_retry(message=message, by=request.user)
    messages.info(
        request,
        _("Mensaje #%(id)s: %(status)s.")
        % {"id": message.pk, "status": message.get_status_display()},
    )
    return redirect("channels:inbound_list")


class LinkForm(ErrorsDescribed, forms.Form):
    platform = forms.ChoiceField(
        choices=SocialPostLink.Platform.choices, label=gettext_lazy("Red social")
    )
    post_id = forms.RegexField(
        regex=r"^[0-9_]{5,100}$",
        label=gettext_lazy("Identificador de la publicación"),
        help_text=gettext_lazy("Facebook: PAGEID_POSTID. Instagram: el id de la publicación."),
    )
    exercise = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Ejercicio"))


@staff_required
@tool_required("channels:social_links")
def social_links(request: HttpRequest) -> HttpResponse:
    allowed = entity_ids_for(request.user, "channel.manage")
    exercises = Exercise.objects.public().for_entities(allowed).order_by("title")
    form = LinkForm(request.POST or None)
    form.fields["exercise"].queryset = exercises
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        linked = run_action(
            request,
            lambda: social_link_create(
                platform=data["platform"],
                post_id=data["post_id"],
                exercise=data["exercise"],
                by=request.user,
            ),
            _("Publicación enlazada."),
            form=form,
        )
        if linked:
            return redirect("channels:social_links")
    links = scope_queryset(
        SocialPostLink.objects.select_related("exercise"),
        request.user,
        "channel.manage",
        field="exercise__owner",
    ).order_by("-id")[:200]
    return render(request, "channels/social_links.html", {"form": form, "links": links})
