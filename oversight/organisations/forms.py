from django import forms

from .models import Unit, UnitGroup, UnitKind, WebhookTarget


class UnitForm(forms.ModelForm):
    aliases = forms.CharField(
        label="别名", required=False, help_text="多个别名用逗号或顿号分隔,例如:区城管局、城管执法局"
    )

    class Meta:
        model = Unit
        fields = [
            "parent",
            "kind",
            "supervised_unit",
            "name",
            "short_name",
            "is_enforcement",
            "sort_order",
            "is_active",
            "contact_person",
            "contact_phone",
            "address",
        ]

    def __init__(self, *args, user=None, mode: str = "full", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.restrict(user, "view").filter(is_active=True)
        self.fields["parent"].required = False
        self.fields["supervised_unit"].queryset = Unit.objects.filter(
            kind=UnitKind.SUBDISTRICT, is_active=True
        )
        if self.instance.pk:
            self.fields["aliases"].initial = "、".join(
                self.instance.aliases.values_list("name", flat=True)
            )
        keep = {
            "full": None,
            # The security administrator decides moves and 司法所 links (三员分立).
            "parent": {"parent", "supervised_unit"},
            "contact": {"contact_person", "contact_phone", "address"},
        }[mode]
        if keep is not None:
            for name in list(self.fields):
                if name not in keep:
                    del self.fields[name]

    def validate_unique(self):
        # Name clashes across units, aliases and groups are checked by the service.
        pass


class UnitGroupForm(forms.ModelForm):
    aliases = forms.CharField(label="别名", required=False, help_text="多个别名用逗号分隔")
    kinds = forms.MultipleChoiceField(
        label="单位类别",
        choices=UnitKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = UnitGroup
        fields = [
            "name",
            "rule",
            "kinds",
            "enforcement_only",
            "members",
            "description",
            "sort_order",
        ]
        widgets = {"members": forms.SelectMultiple(attrs={"size": 10})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Unit.objects.restrict(user, "view").filter(is_active=True)
        self.fields["members"].required = False
        if self.instance.pk:
            self.fields["aliases"].initial = ",".join(self.instance.aliases)

    def validate_unique(self):
        pass


class WebhookTargetForm(forms.ModelForm):
    url = forms.URLField(label="Webhook 地址", max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookTarget
        fields = ["name", "kind", "url", "secret", "unit", "active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, "view").filter(is_active=True)

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.startswith("https://"):
            raise forms.ValidationError("Webhook 地址须以 https:// 开头。")
        return url
