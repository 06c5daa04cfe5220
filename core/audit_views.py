from django.views.generic import TemplateView

AuditListView = AuditDetailView = TemplateView
