from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "urna.network"
    label = "network"
    verbose_name = "Red de respuesta"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from urna.accounts.staff_tools import Section, StaffTool, staff_tool_register

        # The network's two doors in the staff office: an entity's administrators (and the
        # platform's) run their entity's team, rules, terms and templates; the platform team
        # adds entities and territorial offices.
        staff_tool_register(
            StaffTool(
                "network:index",
                _("Red de respuesta: equipo y roles, reglas, términos y plantillas de su entidad"),
                Section.NETWORK,
                "network.manage",
            )
        )
        staff_tool_register(
            StaffTool(
                "network:offices",
                _("Entidades y oficinas territoriales (equipo Urna)"),
                Section.NETWORK,
                "entity.manage",
                platform=True,
            )
        )
