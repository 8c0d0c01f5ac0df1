"""The actor for writes made from the shell (management commands, demo data), not by a person."""


class SystemActor:
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_anonymous = False
    pk = id = None
    role = ""
    username = "system"

    def region_binding(self):
        return None

    def __str__(self):
        return "system"


SYSTEM = SystemActor()
