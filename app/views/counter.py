"""The front desk's screens: the queue (issue, print, call, serve), the guided counter intake (ticket to
application, scans and berita dokumen), the berita dokumen PDF, and the public status page (no login,
rate-limited)."""

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext, lazy_gettext as _l
from flask_wtf.csrf import generate_csrf

from app.errors import UserError
from app.frontdesk import counter, queue
from app.frontdesk.assistance import assistance_steps, assistance_time, record_step
from app.frontdesk.berita import berita_dokumen_pdf
from app.models import (
    AssistanceLog, ApplicantKind, BusinessScale, KbliEdition, QueueTicket, RiskLevel, Service,
)
from app.notify.links import status_link
from app.security import guard
from app.security.networks import public_lookup_limit
from app.security.permissions import CAN_CREATE, Resource
from app.views.workflow import CsrfOnly, WorkflowView
from app.models.base import utcnow
from app.workflow.calendar import to_local
from app.workflow.status import find_for_public, public_status


def check_form() -> None:
    """A posted form must carry the page's CSRF token; an old page is told to reload."""
    if not CsrfOnly().validate_on_submit():
        raise UserError(gettext("The page has expired. Reload it and try again."))


class QueueView(BaseView):
    route_base = "/queue"
    class_permission_name = Resource.QUEUE_TICKET
    method_permission_name = {"board": "read", "ticket": "read", "issue": "create", "act": "edit"}
    default_view = "board"

    @expose("/")
    @has_access
    def board(self):
        session = self.appbuilder.session
        today = to_local(utcnow()).date()
        tickets = session.query(QueueTicket).filter_by(service_date=today).order_by(QueueTicket.issued_at).all()
        services = session.query(Service).order_by(Service.channel, Service.name).all()
        return self.render_template("sigap/queue.html", tickets=tickets, services=services, csrf=CsrfOnly(),
                                    counters=sorted(set(queue.COUNTERS.values())))

    @expose("/issue", methods=["POST"])
    @has_access
    def issue(self):
        session = self.appbuilder.session
        check_form()
        service = session.get(Service, request.form.get("service", type=int) or 0)
        if service is None:
            raise UserError(gettext("Not a valid choice"), "service")
        ticket = queue.issue_ticket(session, service)
        session.commit()
        return redirect(url_for("QueueView.ticket", pk=ticket.id))

    @expose("/ticket/<int:pk>")
    @has_access
    def ticket(self, pk):
        """The small printable ticket."""
        ticket = self.appbuilder.session.get(QueueTicket, pk) or abort(404)
        return self.render_template("sigap/ticket.html", ticket=ticket, issued=to_local(ticket.issued_at))

    @expose("/<action>", methods=["POST"])
    @has_access
    def act(self, action):
        """Call the next ticket of a counter, or mark one served or finished."""
        session = self.appbuilder.session
        if action not in ("call", "serve", "finish"):
            abort(404)
        check_form()
        if action == "call":
            ticket = queue.next_waiting(session, request.form.get("counter", ""), to_local(utcnow()).date())
            if ticket is None:
                flash(gettext("Nobody is waiting at this counter."), "info")
                return redirect(url_for("QueueView.board"))
            queue.call(ticket, self.appbuilder.sm.current_user)
        else:
            ticket = session.get(QueueTicket, request.form.get("ticket", type=int) or 0) or abort(404)
            getattr(queue, action)(ticket)
        session.commit()
        flash(gettext("Ticket %(code)s: %(action)s.", code=ticket.ticket_code, action=ACTIONS[action]), "success")
        if action == "call" and self.appbuilder.sm.has_access(CAN_CREATE, Resource.COUNTER_INTAKE):
            return redirect(url_for("CounterIntakeView.start", ticket=ticket.id))  # the called ticket's intake
        return redirect(url_for("QueueView.board"))


ACTIONS = {"call": _l("called"), "serve": _l("being served"), "finish": _l("finished")}


class CounterIntakeView(WorkflowView):
    """The guided intake at the counter: the called ticket, the applicant by NIK, the business by NIB, the service
    and its checklist (one page), then each required scan in place, then the berita dokumen."""

    route_base = "/counter/intake"
    class_permission_name = Resource.COUNTER_INTAKE
    method_permission_name = {"start": "create", "register": "create", "scans": "create", "berita": "create"}
    default_view = "start"

    @expose("/")
    @has_access
    def start(self):
        """The first form; with a NIK typed (the "find" button), the applicant found or a new one's fields."""
        typed = request.args.to_dict()
        errors, found = {}, None
        if typed.get("nik"):
            try:
                found = counter.find_applicant(self.appbuilder.session, typed["nik"])
            except UserError as error:
                errors = _by_field(error)
        return self._form(typed, errors, found)

    @expose("/", methods=["POST"])
    @has_access
    def register(self):
        session = self.appbuilder.session
        typed = request.form.to_dict()
        try:
            check_form()
            application = counter.register(session, typed, self.appbuilder.sm.current_user)
        except UserError as error:  # the form again, everything typed kept, the reason beside its field
            session.rollback()
            found = _quietly(lambda: counter.find_applicant(session, typed.get("nik", "")))
            return self._form(typed, _by_field(error), found)
        session.commit()
        flash(gettext("Application %(number)s registered.", number=application.registration_number), "success")
        return redirect(url_for("CounterIntakeView.scans", pk=application.id))

    def _form(self, typed: dict, errors: dict, found):
        session = self.appbuilder.session
        tickets = counter.open_tickets(session, self.appbuilder.sm.current_user, to_local(utcnow()).date())
        ticket = session.get(QueueTicket, int(typed["ticket"])) if typed.get("ticket", "").isdigit() else None
        if ticket is not None and ticket not in tickets:
            tickets.insert(0, ticket)
        if ticket is not None and not typed.get("service") and ticket.service_id:
            typed["service"] = str(ticket.service_id)
        services = session.query(Service).order_by(Service.channel, Service.name).all()
        return self.render_template(
            "sigap/intake.html", typed=typed, errors=errors, found=found, tickets=tickets, services=services,
            csrf=CsrfOnly(), choices={"kind": ApplicantKind, "risk_level": RiskLevel, "scale": BusinessScale,
                                      "kbli_edition": KbliEdition}), 422 if errors else 200

    @expose("/<int:pk>")
    @has_access
    def scans(self, pk):
        """Each requirement of the service with its scans (dropped or chosen in place), then the berita dokumen."""
        application = self._application(pk)
        given = any(h.node == counter.BERITA_DOKUMEN for h in application.history)
        if not given and application.current_node != counter.BERITA_DOKUMEN:
            return redirect(url_for("ApplicationPageView.page", pk=pk))
        return self.render_template(
            "sigap/intake_scans.html", application=application, given=given, csrf=CsrfOnly(),
            scanned=counter.scanned_requirements(application), max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
            counters=sorted(set(queue.COUNTERS.values())), api_csrf=generate_csrf())

    @expose("/<int:pk>/berita", methods=["POST"])
    @has_access
    def berita(self, pk):
        session = self.appbuilder.session
        application = self._application(pk)
        check_form()
        requirements = {str(r.id): r.description for r in application.service.requirements}
        received = [requirements[r] for r in request.form.getlist("received") if r in requirements]
        counter.give_berita_dokumen(session, application, self.appbuilder.sm.current_user, received,
                                    request.form.get("note", "").strip())
        session.commit()
        flash(gettext("Berita dokumen given."), "success")
        return redirect(url_for("CounterIntakeView.scans", pk=pk))


def _by_field(error: UserError) -> dict:
    refusal = error.by_field()
    return refusal if isinstance(refusal, dict) else {"": [refusal]}


def _quietly(find):
    """The applicant found by the typed NIK, when it is a valid one (the form again shows them)."""
    try:
        return find()
    except UserError:
        return None


class AssistanceSessionView(BaseView):
    """A helpdesk session as it happens: each SOP step done with the applicant, timed."""

    route_base = "/assistance-session"
    class_permission_name = Resource.ASSISTANCE_LOG
    method_permission_name = {"session": "read", "record": "edit"}

    @expose("/<int:pk>")
    @has_access
    def session(self, pk):
        log = self.appbuilder.session.get(AssistanceLog, pk) or abort(404)
        return self.render_template("sigap/assistance.html", log=log, csrf=CsrfOnly(),
                                    steps=assistance_steps(self.appbuilder.session, log),
                                    time=assistance_time(self.appbuilder.session, log))

    @expose("/<int:pk>", methods=["POST"])
    @has_access
    def record(self, pk):
        session = self.appbuilder.session
        log = session.get(AssistanceLog, pk) or abort(404)
        check_form()
        entry = record_step(session, log, request.form.get("step", ""), request.form.to_dict())
        session.commit()
        flash(str(entry.reason) if entry.result == "rejected" else gettext("Step recorded."),
              "danger" if entry.result == "rejected" else "success")
        return redirect(url_for("AssistanceSessionView.session", pk=pk))


class BeritaDokumenView(WorkflowView):
    route_base = "/berita-dokumen"
    class_permission_name = Resource.APPLICATION
    method_permission_name = {"pdf": "read"}

    @expose("/<int:pk>.pdf")
    @has_access
    def pdf(self, pk):
        application = self._application(pk)
        if not any(h.node == "berita_dokumen" for h in application.history):
            abort(404)
        return Response(berita_dokumen_pdf(application, status_link(application)), mimetype="application/pdf", headers={
            "Content-Disposition": f'inline; filename="berita-dokumen-{application.registration_number}.pdf"'})


class PublicStatusView(BaseView):
    """Anyone with the registration number and the last 4 digits of the applicant's NIK."""

    route_base = "/status"
    default_view = "status"

    @expose("/", methods=["GET", "POST"])
    @public_lookup_limit("POST")
    def status(self):
        number = request.values.get("number", "")
        found, asked = None, request.method == "POST"
        if asked:
            # Beside the limit per address, one per number: the 4 NIK digits are not guessed from many addresses.
            policy = guard.Policy(current_app.config["STATUS_LOCKOUT_FAILURES"],
                                  current_app.config["STATUS_LOCKOUT_MINUTES"])
            application, locked = guard.guarded(
                self.appbuilder.session, guard.STATUS_NUMBER, number.strip().upper()[:255], policy,
                lambda: find_for_public(self.appbuilder.session, number, request.form.get("nik4", "")))
            found = public_status(application) if application else None
            if locked:
                flash(gettext("Too many wrong attempts for this registration number. Try again in %(minutes)d "
                              "minutes.", minutes=policy.minutes), "danger")
        return self.render_template("sigap/status.html", number=number, found=found, asked=asked)
