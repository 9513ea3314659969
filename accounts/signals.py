"""Keep a user's group and admin access in step with their role."""
from django.contrib.auth.models import Group
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import Role, User
from .roles import ROLE_GROUP_NAMES


@receiver(pre_save, sender=User)
def admin_access_follows_role(sender, instance: User, raw=False, **kwargs):
    """Administrators and validators work in the admin; installers never do (portal and API only).

    Deactivating a person is done with ``is_active``, not by removing admin access.
    """
    if raw:
        return
    instance.is_staff = instance.role in (Role.ADMINISTRATOR, Role.VALIDATOR)
    if instance.role == Role.INSTALLER:
        instance.is_superuser = False


@receiver(post_save, sender=User)
def put_user_in_role_group(sender, instance: User, raw=False, **kwargs):
    if raw:
        return
    wanted = ROLE_GROUP_NAMES.get(instance.role)
    role_groups = Group.objects.filter(name__in=ROLE_GROUP_NAMES.values())
    current = set(instance.groups.filter(pk__in=role_groups).values_list("name", flat=True))
    if current == {wanted}:
        return
    instance.groups.remove(*role_groups)
    group = Group.objects.filter(name=wanted).first()
    if group is not None:
        instance.groups.add(group)
