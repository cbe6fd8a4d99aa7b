"""Writes to initiative groups, each in one transaction (a `with` block,
not the decorator: mutation testing, `make mutate`, skips decorated functions)."""

from django.db import transaction
from django.utils import timezone

from .models import InitiativeGroup, Membership, Role


def add_member(group, person, *, role=Role.MEMBER, joined_on=None):
    with transaction.atomic():
        membership = Membership(person=person, group=group, role=role, joined_on=joined_on)
        membership.full_clean()
        membership.save()
        return membership


def end_membership(membership, *, left_on=None):
    with transaction.atomic():
        membership.left_on = left_on or timezone.localdate()
        membership.full_clean()
        membership.save(update_fields=["left_on"])
        return membership


def dissolve_group(group, *, on=None):
    """Dissolve a group: its current memberships end on the same day."""
    with transaction.atomic():
        on = on or timezone.localdate()
        group = InitiativeGroup.objects.select_for_update().get(pk=group.pk)
        if not group.is_active:
            return group
        group.status = InitiativeGroup.Status.DISSOLVED
        group.dissolved_on = on
        group.full_clean()
        group.save(update_fields=["status", "dissolved_on"])
        group.memberships.filter(left_on__isnull=True).update(left_on=on)
        return group


def reactivate_group(group):
    """Bring a dissolved group back; its former members are added again by hand."""
    with transaction.atomic():
        group = InitiativeGroup.objects.select_for_update().get(pk=group.pk)
        if group.is_active:
            return group
        group.status = InitiativeGroup.Status.ACTIVE
        group.dissolved_on = None
        group.full_clean()
        group.save(update_fields=["status", "dissolved_on"])
        return group
