from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers


class NamedChoiceField(serializers.ChoiceField):
    """A choice field from a ``TextChoices`` class, documented as the enum component ``<Class>Enum``.

    Naming the component after the choices class (``RatingLevelEnum``) keeps it stable when other
    apps add fields with the same name (``level``, ``status``) but other codes, and lets two fields
    with the same codes (``level``, ``next_rating``) share one enum in generated clients.
    """

    def __init__(self, choices_class, **kwargs):
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        choices = self.target.choices_class
        name = f"{choices.__name__}Enum"
        schema = {
            "type": "string",
            "enum": list(choices.values),
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices.choices),
        }
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        auto_schema.registry.register_on_missing(component)
        return component.ref
