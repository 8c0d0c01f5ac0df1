"""Who may do what in the morality bank (region checks are the scoping functions')."""

from apps.core.permissions import ADMIN_ROLES, DATA_ENTRY_ROLES

# Village clerks keep their own village's residents, awards, shop and redemptions.
MORALITY_ROLES = DATA_ENTRY_ROLES | {"village_clerk"}
# The catalogue, the county settings and the quarterly settlement belong to county admins and above.
CATALOGUE_ROLES = ADMIN_ROLES
