import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from oversight.core.excel import xlsx_response
from oversight.core.params import id_param_value, year_param
from oversight.core.roles import Role, has_capability
from oversight.core.views import (
    CapabilityRequiredMixin,
    Column,
    ImportView,
    ObjectActionMixin,
    ObjectActionView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    Op,
    ScopedObjectMixin,
    ServiceFormView,
    errors_to_messages,
)

from . import services
from .filtersets import CertificateFilterSet, OfficerFilterSet
from .forms import (
    AttendanceForm,
    CertificateChangeForm,
    CertificateForm,
    CleanupAnswerForm,
    CleanupDecideForm,
    CleanupStartForm,
    CourseForm,
    OfficerForm,
    ReviewForm,
    SubjectForm,
    TrainingPlanForm,
)
from .imports import AttendanceImporter, OfficerImporter
from .models import Certificate, CleanupCampaign, CleanupItem, Course, EnforcementSubject, Officer
from .reports import training_workbook
from .selectors import (
    certificate_figures,
    hours_by_officer,
    officer_list,
    plan_filing,
    training_compliance,
)


# -- subjects ----------------------------------------------------------------------------------------
class SubjectListView(ObjectListView):
    capability = "enforcement.view"
    model = EnforcementSubject
    title = "执法主体"
    export_name = "执法主体"
    template_name = "enforcement/subject_list.html"
    columns = [
        Column("主体名称", "name", link=True),
        Column("所属单位", "unit"),
        Column("主体性质", "get_legal_status_display"),
        Column("执法类别", "type_labels"),
        Column("状态", "get_status_display"),
        Column("公告日期", "announcement_date"),
    ]

    def get_queryset(self):
        return EnforcementSubject.objects.restrict(self.request.user, "view").select_related("unit")

    def get_actions(self):
        if has_capability(self.request.user, "enforcement.supervise"):
            return [("登记执法主体", reverse("enforcement:subject_add"), "bi-plus-lg")]
        return []


class SubjectFormView(ObjectFormView):
    capability = "enforcement.supervise"
    model = EnforcementSubject
    form_class = SubjectForm

    def save(self, form, obj):
        return services.subject_save(subject=obj, data=form.cleaned_data, user=self.request.user)

    def success_url(self, obj):
        return reverse("enforcement:subject_list")


class SubjectConfirmView(CapabilityRequiredMixin, View):
    capability = "enforcement.supervise"

    def post(self, request):
        count = services.subjects_confirm(announcement_date=timezone.localdate(), user=request.user)
        messages.success(request, f"已确认并在公开页面公告 {count} 个执法主体。")
        return redirect("enforcement:subject_list")


# -- officers --------------------------------------------------------------------------------------------
def _certs(officer):
    return "、".join(c.number for c in officer.valid_certificates) or "无有效证件"


class OfficerListView(ObjectListView):
    capability = "enforcement.view"
    model = Officer
    title = "执法人员"
    filterset_class = OfficerFilterSet
    export_name = "执法人员"
    columns = [
        Column("姓名", "name", sort="name", link=True),
        Column("单位", "unit", sort="unit__sort_order"),
        Column("职务", "post"),
        Column("身份证号", "id_masked"),
        Column("手机号", "phone_masked"),
        Column("编制", "get_employment_display", sort="employment"),
        Column("法律职业资格", "legal_qualification"),
        Column("状态", "get_status_display", sort="status"),
        Column("有效证件", _certs),
    ]

    def get_queryset(self):
        return officer_list(user=self.request.user).distinct()

    def get_actions(self):
        if has_capability(self.request.user, "enforcement.manage_units"):
            return [
                ("登记执法人员", reverse("enforcement:officer_add"), "bi-person-plus"),
                ("Excel 导入", reverse("enforcement:officer_import"), "bi-upload"),
            ]
        return []


class OfficerDetailView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "enforcement.view"
    model = Officer

    def get(self, request, pk, certificate_form=None):
        officer = self.get_object()
        year = timezone.localdate().year
        hours = hours_by_officer(year, [officer])[officer.pk]
        return render(
            request,
            "enforcement/officer_detail.html",
            {
                "officer": officer,
                "certificates": officer.certificates.all(),
                "hours": hours,
                "year": year,
                "can_edit": Officer.objects.restrict(request.user, "change")
                .filter(pk=officer.pk)
                .exists(),
                "can_reveal": has_capability(request.user, "enforcement.identity"),
                "supervisor": Role.SUPERVISOR in request.user.role_codes,
                "certificate_form": certificate_form or CertificateForm(user=request.user),
                "attendance": officer.attendance.select_related("course__unit").order_by(
                    "-course__start_date"
                )[:50],
            },
        )


class OfficerIdentityView(CapabilityRequiredMixin, ScopedObjectMixin, View):
    """The full ID number, on request, for allowed roles; every reveal is audited."""

    capability = "enforcement.identity"
    model = Officer

    def post(self, request, pk):
        officer = self.get_object()
        try:
            value = services.officer_identity(officer=officer, user=request.user)
        except PermissionDenied as exc:
            raise Http404 from exc
        return JsonResponse({"id_number": value})


class OfficerFormView(ObjectFormView):
    capability = "enforcement.manage_units"
    model = Officer
    form_class = OfficerForm

    def save(self, form, obj):
        data = {k: v for k, v in form.cleaned_data.items() if k != "id_number"}
        id_number = form.cleaned_data.get("id_number") or None
        if obj is None:
            return services.officer_create(
                data=data, id_number=id_number or "", user=self.request.user
            )
        return services.officer_update(
            officer=obj, data=data, id_number=id_number, user=self.request.user
        )


class OfficerImportView(ImportView):
    importer_class = OfficerImporter
    success_url = "enforcement:officer_list"


# -- certificates --------------------------------------------------------------------------------------------
class CertificateListView(ObjectListView):
    capability = "enforcement.view"
    model = Certificate
    title = "执法证件"
    filterset_class = CertificateFilterSet
    export_name = "执法证件"
    default_sort = "expiry_date"
    columns = [
        Column("证号", "number", sort="number", link=True),
        Column("姓名", "officer.name", sort="officer__name"),
        Column("单位", "officer.unit"),
        Column("种类", "get_kind_display"),
        Column("执法领域", "areas"),
        Column("发证日期", "issue_date", sort="issue_date"),
        Column("有效期至", "expiry_date", sort="expiry_date"),
        Column("状态", "get_status_display", sort="status"),
    ]

    def get_queryset(self):
        return Certificate.objects.restrict(self.request.user, "view").select_related(
            "officer__unit"
        )


class CertificateDetailView(ObjectActionMixin, ObjectDetailView):
    capability = "enforcement.view"
    post_capability = "enforcement.supervise"
    model = Certificate
    template_name = "enforcement/certificate_detail.html"

    def context(self, certificate):
        return {
            "events": certificate.events.select_related("actor"),
            "reviews": certificate.reviews.all(),
            "supervisor": Role.SUPERVISOR in self.request.user.role_codes,
            "change_form": CertificateChangeForm(),
            "review_form": ReviewForm(initial={"year": timezone.localdate().year}),
        }

    default_op = "change"
    ops = {
        "review": Op(
            lambda v, c, d: services.certificate_review(certificate=c, user=v.request.user, **d),
            "年审结果已登记。",
            form=ReviewForm,
        ),
        "change": Op(
            lambda v, c, d: services.certificate_change(certificate=c, user=v.request.user, **d),
            "证件状态已变更。",
            form=CertificateChangeForm,
        ),
    }


class CertificateIssueView(ObjectActionView):
    capability = "enforcement.manage_units"
    model = Officer
    action = "change"
    default_op = "issue"
    error_pages = {"issue": (OfficerDetailView, "certificate_form")}
    ops = {
        "issue": Op(
            lambda v, officer, d: services.certificate_issue(
                officer=officer, data=d, user=v.request.user
            ),
            "证件已登记。",
            form=CertificateForm,
            form_kwargs=lambda v, officer: {"user": v.request.user},
        )
    }


# -- clean-ups -------------------------------------------------------------------------------------------------
class CleanupListView(ObjectListView):
    capability = "enforcement.view"
    model = CleanupCampaign
    title = "资格清理"
    export_name = "资格清理"
    columns = [
        Column("名称", "title", link=True),
        Column("基准日", "as_of"),
        Column("反馈截止", "response_due"),
        Column("状态", "get_status_display"),
        Column("发起时间", "started_at", sort="started_at"),
    ]
    default_sort = "-started_at"

    def get_queryset(self):
        return CleanupCampaign.objects.restrict(self.request.user, "view")

    def get_actions(self):
        if has_capability(self.request.user, "enforcement.supervise"):
            return [("发起资格清理", reverse("enforcement:cleanup_add"), "bi-plus-lg")]
        return []


class CleanupStartView(ServiceFormView):
    capability = "enforcement.supervise"
    form_class = CleanupStartForm
    title = "发起资格清理"

    def initial(self):
        today = timezone.localdate()
        return {
            "title": f"{today.year}年度行政执法人员资格清理",
            "as_of": today,
            "response_due": today + datetime.timedelta(days=14),
        }

    def run(self, data):
        return services.cleanup_start(user=self.request.user, **data)

    def success_message(self, campaign) -> str:
        return f"已发起:拟清理证件 {campaign.items.count()} 个,已通知相关单位反馈。"


class CleanupDetailView(ObjectActionMixin, ObjectDetailView):
    capability = "enforcement.view"
    post_capability = "enforcement.supervise"
    model = CleanupCampaign
    template_name = "enforcement/cleanup_detail.html"

    def context(self, campaign):
        user = self.request.user
        return {
            "campaign": campaign,
            "items": CleanupItem.objects.restrict(user, "view")
            .filter(campaign=campaign)
            .select_related("certificate__officer", "unit"),
            "supervisor": Role.SUPERVISOR in user.role_codes,
            "unit_user": bool(user.role_codes & {Role.REPORTER, Role.UNIT_HEAD}),
        }

    ops = {
        "answer": Op(
            lambda v, campaign, d: services.cleanup_answer(
                item=_cleanup_item(v, campaign, d["item"]),
                answer=d["answer"],
                explanation=d["explanation"],
                user=v.request.user,
            ),
            "已保存。",
            form=CleanupAnswerForm,
        ),
        "decide": Op(
            lambda v, campaign, d: services.cleanup_decide(
                item=_cleanup_item(v, campaign, d["item"]),
                decision=d["decision"],
                user=v.request.user,
            ),
            "已保存。",
            form=CleanupDecideForm,
        ),
        "apply": Op(
            lambda v, campaign, d: services.cleanup_apply(campaign=campaign, user=v.request.user),
            lambda counts, d: (
                f"已执行:注销 {counts['cancel']} 个,收回 {counts['withdraw']} 个,"
                f"保留 {counts['keep']} 个。"
            ),
        ),
        "publish": Op(
            lambda v, campaign, d: services.cleanup_publish(campaign=campaign, user=v.request.user),
            "清理结果已在公开页面公布。",
        ),
    }


def _cleanup_item(view, campaign: CleanupCampaign, raw) -> CleanupItem:
    item = (
        CleanupItem.objects.restrict(view.request.user, "view")
        .filter(campaign=campaign, pk=id_param_value(raw))
        .first()
    )
    if item is None:
        raise Http404("清理对象不存在或不在您的权限范围内。")
    return item


# -- training ----------------------------------------------------------------------------------------------------
def _year(request) -> int:
    return year_param(request, default=timezone.localdate().year)


class TrainingView(CapabilityRequiredMixin, View):
    """Training compliance by unit and officer for a year, the plans filed, charts; Excel export."""

    capability = "enforcement.view"

    def get(self, request):
        year = _year(request)
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                f"{year}年执法人员培训学时统计.xlsx",
                training_workbook(user=request.user, year=year),
            )
        units = training_compliance(user=request.user, year=year)
        due, filing = plan_filing(user=request.user, year=year)
        chart = {
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 110, "right": 20, "top": 20, "bottom": 20},
            "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
            "yAxis": {"type": "category", "data": [str(u.unit) for u in units][::-1]},
            "series": [
                {"name": "学时达标率", "type": "bar", "data": [u.rate or 0 for u in units][::-1]}
            ],
        }
        return render(
            request,
            "enforcement/training.html",
            {
                "year": year,
                "units": units,
                "due": due,
                "filing": filing,
                "today": timezone.localdate(),
                "chart": chart,
                "plan_form": TrainingPlanForm(user=request.user, initial={"year": year})
                if has_capability(request.user, "enforcement.manage_units")
                else None,
            },
        )


class TrainingPlanView(CapabilityRequiredMixin, View):
    capability = "enforcement.manage_units"

    def post(self, request):
        form = TrainingPlanForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.training_plan_file(user=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                errors_to_messages(request, exc)
            else:
                messages.success(request, "年度培训计划已报送。")
        else:
            messages.error(request, ";".join(e for errors in form.errors.values() for e in errors))
        return redirect(f"{reverse('enforcement:training')}?year={request.POST.get('year', '')}")


class CourseListView(ObjectListView):
    capability = "enforcement.view"
    model = Course
    title = "培训课程"
    default_sort = "-start_date"
    export_name = "培训课程"
    columns = [
        Column("课程", "title", link=True),
        Column("类别", "get_category_display", sort="category"),
        Column("组织单位", "unit"),
        Column("开始", "start_date", sort="start_date"),
        Column("结束", "end_date"),
        Column("学时", "hours"),
    ]

    def get_queryset(self):
        return Course.objects.restrict(self.request.user, "view").select_related("unit")

    def get_actions(self):
        if has_capability(self.request.user, "enforcement.manage_units"):
            return [
                ("登记课程", reverse("enforcement:course_add"), "bi-plus-lg"),
                ("导入参训记录", reverse("enforcement:attendance_import"), "bi-upload"),
            ]
        return []


class CourseFormView(ObjectFormView):
    capability = "enforcement.manage_units"
    model = Course
    form_class = CourseForm

    def save(self, form, obj):
        return services.course_save(course=obj, data=form.cleaned_data, user=self.request.user)


class CourseDetailView(ObjectActionMixin, CapabilityRequiredMixin, ScopedObjectMixin, View):
    capability = "enforcement.view"
    post_capability = "enforcement.manage_units"
    model = Course

    def get(self, request, pk):
        course = self.get_object()
        visible = Officer.objects.restrict(request.user, "view")
        attendance = course.attendance.filter(officer__in=visible).select_related("officer__unit")
        can_edit = has_capability(request.user, "enforcement.manage_units")
        return render(
            request,
            "enforcement/course_detail.html",
            {
                "course": course,
                "attendance": attendance,
                "form": AttendanceForm(user=request.user) if can_edit else None,
            },
        )

    ops = {
        "attend": Op(
            lambda v, course, d: services.attendance_set(
                course=course, officers=list(d["officers"]), hours=d["hours"], user=v.request.user
            ),
            lambda added, d: f"已登记 {added} 人参训。",
            form=AttendanceForm,
            form_kwargs=lambda v, course: {"user": v.request.user},
        )
    }
    default_op = "attend"


class AttendanceImportView(ImportView):
    importer_class = AttendanceImporter
    success_url = "enforcement:course_list"


class DashboardView(CapabilityRequiredMixin, View):
    capability = "enforcement.view"

    def get(self, request):
        today = timezone.localdate()
        figures = certificate_figures(user=request.user, today=today)
        units = training_compliance(user=request.user, year=today.year)
        chart = {
            "tooltip": {"trigger": "axis"},
            "legend": {"data": ["持证率", "学时达标率"]},
            "grid": {"left": 110, "right": 20, "top": 30, "bottom": 20},
            "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
            "yAxis": {"type": "category", "data": [str(u) for u in figures.by_unit][::-1]},
            "series": [
                {
                    "name": "持证率",
                    "type": "bar",
                    "data": [
                        round(100 * c / n, 1) if n else 0 for n, c in figures.by_unit.values()
                    ][::-1],
                },
                {
                    "name": "学时达标率",
                    "type": "bar",
                    "data": [
                        next((t.rate or 0 for t in units if t.unit == u), 0)
                        for u in figures.by_unit
                    ][::-1],
                },
            ],
        }
        return render(
            request,
            "enforcement/dashboard.html",
            {"figures": figures, "units": units, "chart": chart, "today": today},
        )
