"""Contacts: created only with consent, opt-out, access and erasure (Ley 1581 de 2012).

A contact's address is also copied outside the ``Contact`` row: the raw channel messages it sent
(``channels``), the outbox (``messaging``), and the contributions and queries it is linked to.
Those apps register a ``PersonalDataHolder`` (``urna.core.personal_data``) in their
``AppConfig.ready()``, so the citizen's rights of access and suppression reach every copy without
this app importing them. The registry's names are re-exported here for the apps that always
found them here.
"""

from urna.contacts.selectors import contact_export as contact_export
from urna.contacts.services.choices import *  # noqa: F403
from urna.contacts.services.consents import *  # noqa: F403
from urna.contacts.services.people import *  # noqa: F403
from urna.contacts.services.rights import *  # noqa: F403
from urna.core.personal_data import PERSONAL_DATA_HOLDERS as PERSONAL_DATA_HOLDERS
from urna.core.personal_data import PersonalDataHolder as PersonalDataHolder
from urna.core.personal_data import address_match as address_match
from urna.core.personal_data import in_chunks as in_chunks
from urna.core.personal_data import mask as mask
from urna.core.personal_data import personal_data_expire as personal_data_expire
from urna.core.personal_data import register_personal_data as register_personal_data
from urna.core.personal_data import retention_days as retention_days
