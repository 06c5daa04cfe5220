"""Forms check the shape of what the chain pages send; chains.services decides and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin, DateInput

from . import selectors
from .choices import LeaderKind, SegmentPosition
from .models import IndustryCluster


class OrderedFormMixin(BootstrapMixin):
    def changes(self):
        data = dict(self.cleaned_data)
        data["sort_order"] = data.get("sort_order") or 0
        return data


class ClusterForm(OrderedFormMixin, forms.Form):
    name = forms.CharField(label=_("集群名称"), max_length=100, help_text=_("如：铜精深加工、碳基新材料。"))
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ClusterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ChainForm(OrderedFormMixin, forms.Form):
    name = forms.CharField(label=_("产业链名称"), max_length=100)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ChainCreateForm(ChainForm):
    field_order = ["cluster", "name", "description", "sort_order", "active"]

    cluster = ClusterChoiceField(label=_("产业集群"), queryset=IndustryCluster.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Only the clusters this person may add chains to.
        self.fields["cluster"].queryset = selectors.editable_clusters(user)
        self.order_fields(self.field_order)
        self._style()


class SegmentForm(OrderedFormMixin, forms.Form):
    position = forms.ChoiceField(label=_("环节位置"), choices=SegmentPosition.choices)
    name = forms.CharField(label=_("环节名称"), max_length=100, help_text=_("如：铜矿采选、电解铜、新能源汽车线束。"))
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.credit_code}）" if obj.credit_code else obj.name


class ChainLeaderForm(BootstrapMixin, forms.Form):
    """Pick a company of the city's directory; the select offers a short list the search box narrows.

    The field validates against every company the user may see; only the options shown
    are limited, so a directory of 10⁵ companies never lands in one page.
    """

    q = forms.CharField(
        label=_("查找企业"),
        required=False,
        help_text=_("输入企业名称或统一社会信用代码，下方列表随之筛选。"),
    )
    company = CompanyChoiceField(label=_("企业"), queryset=None)
    kind = forms.ChoiceField(label=_("类型"), choices=LeaderKind.choices)

    def __init__(self, *args, user=None, chain=None, options_url="", **kwargs):
        super().__init__(*args, **kwargs)
        owner = chain.cluster.owner if chain is not None else None
        queryset = selectors.visible_companies(user)
        if owner is not None:
            queryset = queryset.filter(owner=owner)
        field = self.fields["company"]
        field.queryset = queryset
        picked = None
        if self.is_bound:
            value = self.data.get(self.add_prefix("company"))
            if value and str(value).isdigit():
                picked = queryset.filter(pk=value).first()
        options = selectors.company_options(
            user, owner=owner, q=self.data.get(self.add_prefix("q"), ""), not_leading=chain
        )
        if picked is not None and picked not in options:
            options.insert(0, picked)
        field.widget.choices = [("", _("请选择企业"))] + [(c.pk, field.label_from_instance(c)) for c in options]
        self.fields["q"].widget.attrs.update(
            {
                "hx-get": options_url,
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": f"#{self['company'].id_for_label}",
                "autocomplete": "off",
            }
        )
        self.fields["q"].widget.input_type = "search"
        self._style()


class ConfirmForm(BootstrapMixin, forms.Form):
    """A removal asks only for the click."""


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.title}）" if obj.title else obj.name


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()} · {obj.company.name}"


class ChainPromotionForm(BootstrapMixin, forms.Form):
    """A chain's "六个一": the office names its 链长, team and 链主; the map and figures are the chain's own."""

    leader = PersonChoiceField(
        label=_("链长（从本市领导中选择）"),
        queryset=None,
        required=False,
        help_text=_("可不选，直接填写下方姓名和职务；选了而姓名留空时，取所选人员的姓名和职务。"),
    )
    leader_name = forms.CharField(label=_("链长姓名"), max_length=50, required=False)
    leader_title = forms.CharField(
        label=_("链长职务"), max_length=100, required=False, help_text=_("如：经开区党工委副书记。")
    )
    team = UnitChoiceField(label=_("招商专班"), queryset=None, required=False)
    chain_leader = LeaderChoiceField(label=_("链主企业"), queryset=None, required=False)

    def __init__(self, *args, chain=None, **kwargs):
        super().__init__(*args, **kwargs)
        from . import services

        owner = chain.cluster.owner
        self.fields["leader"].queryset = services.leader_choices(owner)
        self.fields["team"].queryset = services.team_choices(owner)
        self.fields["chain_leader"].queryset = selectors.leaders_queryset(chain)
        self._style()


class PolicyDocumentForm(BootstrapMixin, forms.Form):
    """One document of the chain's policy package: its title, the date it was issued and its file."""

    title = forms.CharField(label=_("政策文件名称"), max_length=200)
    issued_on = forms.DateField(label=_("印发日期"), required=False, widget=DateInput())
    file = forms.FileField(label=_("文件"), help_text=_("PDF、Word、Excel、OFD 或图片，不超过 20 MB。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
