"""The public complaint line (接诉即办), reachable without logging in: /complaint/."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import public

app_name = "complaint"

urlpatterns = [
    path("", login_not_required(public.ComplaintView.as_view()), name="file"),
    path("done/", login_not_required(public.ComplaintDoneView.as_view()), name="done"),
    path("status/", login_not_required(public.ComplaintStatusView.as_view()), name="status"),
]
