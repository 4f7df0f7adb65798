"""The front desk's records: queue tickets and the assistance log (Buku Pencatatan Bantuan)."""

from flask import request
from flask_appbuilder.api import expose, protect
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.frontdesk.assistance import assistance_time, record_step
from app.models import AssistanceEntry, AssistanceLog, QueueTicket
from app.security.permissions import Resource
from app.views.base import GuardedApi, GuardedView
from app.views.labels import LABELS

TICKET_COLUMNS = ["ticket_code", "service", "issued_at", "called_at", "served_at", "finished_at", "served_by",
                  "application"]
LOG_FORM = ["channel", "queue_ticket", "visitor_name", "applicant", "topic", "problem_flag", "finished_at"]


class QueueTicketView(GuardedView):
    route_base = "/queue-tickets"
    record_name = _l("Queue ticket")
    datamodel = SQLAInterface(QueueTicket)
    class_permission_name = Resource.QUEUE_TICKET
    label_columns = LABELS
    list_columns = show_columns = TICKET_COLUMNS
    add_columns = ["service_date", "counter_code", "number", "service"]
    edit_columns = ["service", "called_at", "served_at", "finished_at"]
    search_columns = ["service_date", "counter_code", "service"]
    base_order = ("issued_at", "desc")


class AssistanceEntryView(GuardedView):
    route_base = "/assistance-entries"
    record_name = _l("Assistance step")
    datamodel = SQLAInterface(AssistanceEntry)
    class_permission_name = Resource.ASSISTANCE_LOG
    label_columns = LABELS
    list_columns = ["step", "started_at", "finished_at", "result", "reason"]
    add_columns = edit_columns = show_columns = ["log", *list_columns]


class AssistanceLogView(GuardedView):
    route_base = "/assistance-log"
    record_name = _l("Assistance log")
    datamodel = SQLAInterface(AssistanceLog)
    class_permission_name = Resource.ASSISTANCE_LOG
    label_columns = LABELS
    related_views = [AssistanceEntryView]
    list_columns = ["started_at", "channel", "visitor_name", "queue_ticket", "helped_by", "problem_flag", "finished_at"]
    show_columns = [*list_columns, "applicant", "topic"]
    add_columns = edit_columns = LOG_FORM
    search_columns = ["channel", "visitor_name", "started_at"]
    base_order = ("started_at", "desc")


class QueueTicketApi(GuardedApi):
    resource_name = "queue_ticket"
    datamodel = SQLAInterface(QueueTicket)
    class_permission_name = Resource.QUEUE_TICKET
    label_columns = LABELS
    list_columns = show_columns = ["id", "service_date", "counter_code", "number", "ticket_code",
                                   "service.code", "issued_at", "called_at", "served_at", "finished_at",
                                   "application.registration_number"]
    add_columns = QueueTicketView.add_columns
    edit_columns = QueueTicketView.edit_columns


class AssistanceLogApi(GuardedApi):
    resource_name = "assistance_log"
    datamodel = SQLAInterface(AssistanceLog)
    class_permission_name = Resource.ASSISTANCE_LOG
    label_columns = LABELS
    list_columns = show_columns = ["id", "channel", "visitor_name", "queue_ticket.id", "applicant.name",
                                   "topic", "started_at", "finished_at"]
    add_columns = edit_columns = LOG_FORM

    @expose("/<int:pk>/entry", methods=["POST"])
    @protect()
    def entry(self, pk):
        """Record one assistance step (SOP-001/002 steps 2-6) as it is done.
        ---
        post:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    step: {type: string, description: "the step code, e.g. account_registration"}
                    nik: {type: string, description: "checked at the registration step"}
                    npwp: {type: string}
                    note: {type: string}
                  required: [step]
          responses:
            201:
              description: The step recorded (result "rejected" with the reason for an invalid NIK/NPWP)
            404:
              $ref: '#/components/responses/404'
            422:
              description: Not a step of this session's SOP
        """
        log = self.datamodel.get(pk, self._base_filters)
        if log is None:
            return self.response_404()
        body = request.get_json(silent=True) or {}
        entry = record_step(self.datamodel.session, log, body.get("step", ""), body)
        self.datamodel.session.commit()
        return self.response(201, id=entry.id, step=entry.step.code, result=entry.result, reason=entry.reason,
                             started_at=entry.started_at.isoformat(), finished_at=entry.finished_at.isoformat(),
                             session=assistance_time(self.datamodel.session, log))
