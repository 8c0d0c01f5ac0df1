"""Forms check shape only; the services decide (the API's serializers call the same services)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.core.idnumbers import IdNumberFormField

from .config import WINDOW_ALWAYS, WINDOW_QUARTER_END
from .models import Category

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return f"{item.get_category_display()} · {item.name} ({item.min_points:+d} … {item.max_points:+d})"


class ResidentForm(forms.Form):
    village = forms.ModelChoiceField(queryset=None, label=capfirst(_("village")))
    name = forms.CharField(label=capfirst(_("name")), max_length=50)
    id_number = IdNumberFormField(label=capfirst(_("ID number")), max_length=40)
    household = forms.ModelChoiceField(queryset=None, required=False, label=capfirst(_("poor household")))

    def __init__(self, *args, villages, households, resident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["household"].queryset = households
        if resident is not None:
            del self.fields["village"]
        elif villages.count() == 1:
            self.fields["village"].initial = villages.first().pk


class AwardForm(forms.Form):
    resident = forms.ModelChoiceField(queryset=None, label=capfirst(_("resident")))
    item = ItemChoiceField(queryset=None, label=capfirst(_("item")))
    points = forms.IntegerField(
        label=capfirst(_("points")), help_text=_("Within the item's bounds; negative for a deduction.")
    )
    date = forms.DateField(label=capfirst(_("date")), widget=DATE_INPUT)
    evidence = forms.CharField(
        label=capfirst(_("evidence")), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(
        label=capfirst(_("photo")),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, residents, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        self.fields["item"].queryset = items


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ItemForm(forms.Form):
    county = forms.ModelChoiceField(queryset=None, label=capfirst(_("county")))
    category = forms.ChoiceField(choices=Category.choices, label=capfirst(_("category")))
    name = forms.CharField(label=capfirst(_("name")), max_length=100)
    min_points = forms.IntegerField(label=capfirst(_("minimum points")))
    max_points = forms.IntegerField(
        label=capfirst(_("maximum points")), help_text=_("A deduction has negative bounds, e.g. −10 to −3.")
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        if counties.count() == 1:
            self.fields["county"].initial = counties.first().pk


class GoodsForm(forms.Form):
    village = forms.ModelChoiceField(queryset=None, label=capfirst(_("village")))
    name = forms.CharField(label=capfirst(_("name")), max_length=100)
    price_points = forms.IntegerField(label=capfirst(_("price in points")), min_value=1)
    stock = forms.IntegerField(label=capfirst(_("stock")), min_value=0)
    is_active = forms.BooleanField(label=capfirst(_("on sale")), required=False, initial=True)

    def __init__(self, *args, villages, goods=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        if goods is not None:
            del self.fields["village"]
        elif villages.count() == 1:
            self.fields["village"].initial = villages.first().pk


class RedemptionForm(forms.Form):
    resident = forms.ModelChoiceField(queryset=None, label=capfirst(_("resident")))
    goods = forms.ModelChoiceField(queryset=None, label=capfirst(_("goods")))
    quantity = forms.IntegerField(label=capfirst(_("quantity")), min_value=1, initial=1)
    date = forms.DateField(label=capfirst(_("date")), widget=DATE_INPUT)

    def __init__(self, *args, residents, goods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        self.fields["goods"].queryset = goods
        self.fields["goods"].label_from_instance = lambda g: (
            _("%(name)s · %(price)d points · %(stock)d in stock")
            % {
                "name": g.name,
                "price": g.price_points,
                "stock": g.stock,
            }
        )


class BankSettingsForm(forms.Form):
    county = forms.ModelChoiceField(queryset=None, label=capfirst(_("county")))
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_INPUT)
    points_per_yuan = forms.DecimalField(
        label=_("Points per yuan"), max_digits=8, decimal_places=2, min_value=0
    )
    notice_days = forms.IntegerField(label=_("Days of public notice"), min_value=0)
    redemption_window = forms.ChoiceField(
        label=_("Redemption window"),
        choices=[(WINDOW_QUARTER_END, _("the last days of each quarter")), (WINDOW_ALWAYS, _("always"))],
    )
    redemption_window_days = forms.IntegerField(
        label=_("Days of the window at the end of a quarter"), min_value=1
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties


class SettlementRunForm(forms.Form):
    quarter = forms.CharField(label=_("Quarter"), max_length=6, help_text=_("YYYYQn, e.g. 2026Q1."))
