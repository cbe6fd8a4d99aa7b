"""The admin site's guards in the cases the portal's own admins do not reach
today but a ModelAdmin added later may: a raw-id popup's filter next to
another one, an admin that already carries the guards, a form field an
admin drops, models that belong to no municipality, a request without one.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.models import Permission

from groups.models import InitiativeGroup
from portal.admin_site import (
    DeclaredLookupsOnly,
    DeclaredOnlyChangeList,
    MunicipalityScoped,
    PortalAdminSite,
    for_municipality,
    municipality_lookup,
)
from portal.models import Village
from tests.factories import MunicipalityFactory


def admin_request(rf, user, municipality, path="/ky/admin/", **query):
    request = rf.get(path, query)
    request.user = user
    if municipality is not None:
        request.municipality = municipality
    return request


def changelist(model_admin, request):
    return model_admin.get_changelist_instance(request)


def test_a_popup_filter_is_allowed_with_the_declared_filter_beside_it(
    rf, clerk, municipality, monkeypatch
):
    # Two parameters left to the check: the popup's one passes, so the
    # check goes on to the next and refuses it.
    monkeypatch.setattr(Village._meta, "related_fkey_lookups", [{"name": "Ажек"}])
    villages = admin.site.get_model_admin(Village)
    allowed = admin_request(rf, clerk, municipality, name="Ажек")
    assert [v.name_ky for v in changelist(villages, allowed).queryset] == ["Ажек"]
    both = admin_request(rf, clerk, municipality, name="Ажек", is_centre="1")
    with pytest.raises(DisallowedModelAdminLookup):
        changelist(villages, both)


def test_an_admin_that_brings_its_own_guards_is_not_wrapped_twice(rf, clerk, municipality):
    class Own(DeclaredOnlyChangeList, ChangeList):
        pass

    class WithOwnChangeList(admin.ModelAdmin):
        def get_changelist(self, request, **kwargs):
            return Own

    class Guarded(DeclaredLookupsOnly, MunicipalityScoped, WithOwnChangeList):
        pass

    site = PortalAdminSite(name="probe")
    site.register(Village, Guarded)
    registered = site.get_model_admin(Village)
    assert type(registered) is Guarded
    own = registered.get_changelist(admin_request(rf, clerk, municipality))
    assert own is Own
    with pytest.raises(DisallowedModelAdminLookup):
        changelist(registered, admin_request(rf, clerk, municipality, is_centre="1"))


def test_a_relation_an_admin_drops_from_its_form_stays_dropped(rf, clerk, municipality):
    class WithoutRelations(admin.ModelAdmin):
        def formfield_for_foreignkey(self, db_field, request, **kwargs):
            return None

        def formfield_for_manytomany(self, db_field, request, **kwargs):
            return None

    site = PortalAdminSite(name="probe")
    site.register(InitiativeGroup, WithoutRelations)
    form = site.get_model_admin(InitiativeGroup).get_form(admin_request(rf, clerk, municipality))
    assert "municipality" not in form.base_fields
    assert "villages" not in form.base_fields


def test_what_belongs_to_no_municipality_is_not_scoped(rf, clerk, municipality):
    # A permission points to a content type, which points to nothing.
    assert municipality_lookup(Permission) is None
    request = admin_request(rf, clerk, municipality)
    permissions = Permission.objects.all()
    assert for_municipality(request, permissions).count() == permissions.count()


def test_staff_on_a_request_without_a_municipality_see_nothing(rf, clerk, municipality):
    assert municipality.villages.exists()
    request = admin_request(rf, clerk, None)
    assert not for_municipality(request, Village.objects.all()).exists()


def test_an_index_without_the_moderation_queue_shows_no_count(rf, moderator, municipality):
    MunicipalityFactory()
    site = PortalAdminSite(name="probe")
    request = admin_request(rf, moderator, municipality)
    # The moderator may see the queue, but this site has no list of it.
    assert request.user.has_perm("hearings.view_moderationqueue")
    assert site.moderation_waiting(request) == {}
    assert admin.site.moderation_waiting(request)["moderation_waiting"] == 0


def test_a_new_record_is_preselected_for_the_requests_municipality_where_it_has_one(
    rf, clerk, municipality
):
    site = PortalAdminSite(name="probe")
    site.register(Village)
    site.register(Permission)
    villages, permissions = site.get_model_admin(Village), site.get_model_admin(Permission)
    request = admin_request(rf, clerk, municipality)
    assert villages.get_changeform_initial_data(request) == {"municipality": municipality.pk}
    # A model of no municipality, or a request without one, gets nothing.
    assert "municipality" not in permissions.get_changeform_initial_data(request)
    assert villages.get_changeform_initial_data(admin_request(rf, clerk, None)) == {}
