from django.apps import AppConfig


class QueriesConfig(AppConfig):
    name = "urna.queries"
    label = "queries"
    verbose_name = "Consultas ciudadanas (PQRSD)"

    def ready(self) -> None:
        from urna.core.personal_data import PersonalDataHolder, register_personal_data
        from urna.queries.personal_data import (
            queries_export,
            queries_of_account,
            query_contact_links,
        )

        register_personal_data(
            PersonalDataHolder(
                label="queries",
                export=queries_export,
                account_export=queries_of_account,
                contact_links=query_contact_links,
            )
        )

        from urna.core.receipts import register_status_view
        from urna.queries.views import query_status

        register_status_view("PQ", query_status)
