"""Forms of the report pages (they validate; the actions write)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AdoptionLevel, RatingLevel
from .models import AdvisoryOutput


class OutputForm(forms.ModelForm):
    adoption = forms.MultipleChoiceField(
        label=_("采用层级"), choices=AdoptionLevel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = AdvisoryOutput
        fields = [
            "kind", "proposal_type", "session", "number", "title", "authors", "units", "body", "submitted_on",
            "submitted_to", "filed", "key_supervised", "adopted_on", "instruction_level", "instruction_note", "award",
            "attachment",
        ]  # fmt: skip
        widgets = {
            "submitted_on": forms.DateInput(attrs={"type": "date"}),
            "adopted_on": forms.DateInput(attrs={"type": "date"}),
            "body": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["adoption"] = self.instance.adoption_codes

    def action_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("adoption", "attachment")}
        data["adoption_levels"] = ",".join(self.cleaned_data.get("adoption") or [])
        return data


class FicRatingForm(forms.Form):
    """A 五好县级工商联 rating: the FIC node (by code, among the nodes below the rater), level, year, 标杆."""

    org = forms.ChoiceField(label=_("工商联"))
    level = forms.ChoiceField(label=_("评定层级"), choices=RatingLevel.choices)
    year = forms.IntegerField(label=_("年度"))
    benchmark = forms.BooleanField(label=_("标杆"), required=False)

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(n.code, n.name) for n in nodes]
