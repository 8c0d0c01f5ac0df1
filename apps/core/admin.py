from django.contrib import admin
from django.core.exceptions import PermissionDenied

from .scoping import scope_for


class ScopedAdmin(admin.ModelAdmin):
    """The admin is a superuser's tool: lists go through the usual scoping, and only superusers write."""

    def get_queryset(self, request):
        return scope_for(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ServiceAdmin(ScopedAdmin):
    """Admin writes go through the model's services, so the admin cannot bypass their rules.

    ``fields`` must be exactly the create service's keyword arguments (plus ``readonly_fields``);
    without a ``delete_service`` nothing can be deleted here.
    """

    create_service = None
    update_service = None
    delete_service = None

    def save_model(self, request, obj, form, change):
        if change:
            # Services compare old and new values, so they get the stored record, not the edited one.
            stored = self.get_queryset(request).get(pk=obj.pk)
            fields = {name: form.cleaned_data[name] for name in form.changed_data}
            saved = type(self).update_service(actor=request.user, **{self.opts.model_name: stored}, **fields)
        else:
            saved = type(self).create_service(actor=request.user, **form.cleaned_data)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        if type(self).delete_service is None:
            raise PermissionDenied
        type(self).delete_service(actor=request.user, **{self.opts.model_name: obj})

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def has_delete_permission(self, request, obj=None):
        return type(self).delete_service is not None and super().has_delete_permission(request, obj)
