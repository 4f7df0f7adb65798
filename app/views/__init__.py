"""Every screen and API of SIGAP, registered in one place; the menu is data the role sync reads."""

from dataclasses import dataclass

from flask import current_app
from flask_wtf.csrf import generate_csrf
from flask_appbuilder import BaseView
from flask_appbuilder.const import PERMISSION_PREFIX
from flask_appbuilder.api.manager import SwaggerView
from flask_babel import lazy_gettext as _l

from app.views import (
    admin, applications, archive, catalogue, counter, documents, exports, frontdesk, home, people, permits, reports,
    skm, workflow,
)
from app.views.openapi import SigapOpenApi


@dataclass(frozen=True)
class MenuEntry:
    view: type[BaseView]
    name: str
    label: object
    category: str
    category_label: object
    icon: str = "fa-folder-open-o"

    @property
    def resource(self) -> str:
        return self.view.class_permission_name

    @property
    def action(self) -> str:
        """The permission the entry's page needs: an upload form asks can_create, not can_read."""
        method = self.view.default_view
        return PERMISSION_PREFIX + self.view.method_permission_name.get(method, method)


WORK = ("Work", _l("Work"))
FRONT_OFFICE = ("Front Office", _l("Front Office"))
RECORDS = ("Records", _l("Records"))
ARCHIVE = ("Archive", _l("Archive"))
CATALOGUE = ("Catalogue", _l("Catalogue"))
REPORTS = ("Reports", _l("Reports"))
ADMINISTRATION = ("Administration", _l("Administration"))

MENU = [
    MenuEntry(workflow.InboxView, "My tasks", _l("My tasks"), *WORK, "fa-inbox"),
    MenuEntry(workflow.BreachesView, "SLA breaches", _l("SLA breaches"), *WORK, "fa-clock-o"),
    MenuEntry(counter.QueueView, "Queue", _l("Queue"), *FRONT_OFFICE, "fa-list-ol"),
    MenuEntry(frontdesk.QueueTicketView, "Queue tickets", _l("Queue tickets"), *FRONT_OFFICE, "fa-ticket"),
    MenuEntry(frontdesk.AssistanceLogView, "Assistance log", _l("Assistance log"), *FRONT_OFFICE, "fa-book"),
    MenuEntry(people.ApplicantView, "Applicants", _l("Applicants"), *FRONT_OFFICE, "fa-user"),
    MenuEntry(people.BusinessView, "Businesses", _l("Businesses"), *FRONT_OFFICE, "fa-building"),
    MenuEntry(applications.ApplicationView, "Applications", _l("Applications"), *RECORDS, "fa-file-text-o"),
    MenuEntry(applications.StepHistoryView, "Step history", _l("Step history"), *RECORDS, "fa-history"),
    MenuEntry(applications.VerificationView, "Verifications", _l("Verifications"), *RECORDS, "fa-check-square-o"),
    MenuEntry(applications.SurveyView, "Surveys and BAP", _l("Surveys and BAP"), *RECORDS, "fa-map-marker"),
    MenuEntry(applications.RecommendationView, "Recommendations", _l("Recommendations"), *RECORDS, "fa-thumbs-o-up"),
    MenuEntry(applications.PermitView, "Permits", _l("Permits"), *RECORDS, "fa-certificate"),
    MenuEntry(documents.DocumentView, "Documents", _l("Documents"), *ARCHIVE, "fa-files-o"),
    MenuEntry(documents.DocumentUploadView, "Upload document", _l("Upload document"), *ARCHIVE, "fa-upload"),
    MenuEntry(archive.ArchiveUploadView, "Upload many files", _l("Upload many files"), *ARCHIVE, "fa-cloud-upload"),
    MenuEntry(archive.ArchiveSearchView, "Search the archive", _l("Search the archive"), *ARCHIVE, "fa-search"),
    MenuEntry(archive.ArchiveRecordView, "Archived files", _l("Archived files"), *ARCHIVE, "fa-archive"),
    MenuEntry(catalogue.ServiceView, "Services", _l("Services"), *CATALOGUE, "fa-list"),
    MenuEntry(catalogue.SectorView, "Sectors", _l("Sectors"), *CATALOGUE, "fa-sitemap"),
    MenuEntry(catalogue.DocumentTypeView, "Document types", _l("Document types"), *CATALOGUE, "fa-tags"),
    MenuEntry(catalogue.ArchiveClassificationView, "Archive classifications", _l("Archive classifications"),
              *CATALOGUE, "fa-archive"),
    MenuEntry(catalogue.SopView, "SOPs", _l("SOPs"), *CATALOGUE, "fa-sitemap"),
    MenuEntry(reports.ReportView, "Dashboard", _l("Dashboard"), *REPORTS, "fa-bar-chart"),
    MenuEntry(skm.SkmPeriodView, "Survey periods", _l("Survey periods"), *REPORTS, "fa-smile-o"),
    MenuEntry(reports.LetterheadView, "Report letterhead", _l("Report letterhead"), *REPORTS, "fa-header"),
    MenuEntry(admin.CalendarDayView, "Working-day calendar", _l("Working-day calendar"), *ADMINISTRATION,
              "fa-calendar"),
    MenuEntry(admin.UserSectorView, "User sectors", _l("User sectors"), *ADMINISTRATION, "fa-users"),
    MenuEntry(admin.AuditLogView, "Audit log", _l("Audit log"), *ADMINISTRATION, "fa-shield"),
    MenuEntry(permits.OutboxView, "Messages to applicants", _l("Messages to applicants"), *RECORDS, "fa-envelope-o"),
    MenuEntry(permits.NotificationTemplateView, "Message texts", _l("Message texts"), *ADMINISTRATION,
              "fa-commenting-o"),
]

# Screens reached from other screens (related views), not from the menu.
LINKED_VIEWS = [
    catalogue.ServiceRequirementView,
    catalogue.SopStepView,
    frontdesk.AssistanceEntryView,
    workflow.ApplicationPageView,
    counter.BeritaDokumenView,
    counter.CounterIntakeView,
    counter.AssistanceSessionView,
    counter.PublicStatusView,
    permits.PermitPageView,
    permits.PermitDecisionView,
    permits.PublicCheckView,
    skm.SkmFormView,
    skm.HandoverReceiptView,
    exports.ListExportView,
]

APIS = [
    applications.ApplicationApi,
    applications.StepHistoryApi,
    applications.VerificationApi,
    applications.SurveyApi,
    applications.RecommendationApi,
    applications.PermitApi,
    people.ApplicantApi,
    people.BusinessApi,
    documents.DocumentApi,
    frontdesk.QueueTicketApi,
    frontdesk.AssistanceLogApi,
    catalogue.SectorApi,
    catalogue.ServiceApi,
    catalogue.DocumentTypeApi,
    catalogue.SopApi,
    admin.CalendarDayApi,
    admin.AuditLogApi,
    permits.PermitDecisionApi,
    reports.ReportApi,
    SigapOpenApi,
]


def register(appbuilder) -> None:
    workflow.register_filters(current_app)
    permits.register_globals(current_app)
    reports.register_filters(current_app)
    current_app.add_template_global(exports.list_export_url)
    # FAB's list and show pages post deletes and actions with it when the template global exists.
    current_app.add_template_global(generate_csrf, "csrf_token")
    for entry in MENU:
        appbuilder.add_view(
            entry.view,
            entry.name,
            label=entry.label,
            icon=entry.icon,
            category=entry.category,
            category_label=entry.category_label,
        )
    for view in LINKED_VIEWS:
        appbuilder.add_view_no_menu(view)
    for api in APIS:
        appbuilder.add_api(api)
    appbuilder.add_view_no_menu(SwaggerView)
