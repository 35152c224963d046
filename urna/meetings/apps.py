from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "urna.meetings"
    label = "meetings"
    verbose_name = "Encuentros y talleres"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from urna.accounts.staff_tools import Section, StaffTool, staff_tool_register
        from urna.core.personal_data import PersonalDataHolder, register_personal_data
        from urna.meetings.personal_data import registrations_erase, registrations_export

        staff_tool_register(
            StaffTool(
                "meetings:staff_list",
                _("Encuentros y talleres: inscripciones, recordatorios, actas y asistencia"),
                Section.PARTICIPATION,
                "meeting.manage",
            )
        )
        register_personal_data(
            PersonalDataHolder(
                label="meeting_registrations",
                export=registrations_export,
                erase=registrations_erase,
            )
        )
