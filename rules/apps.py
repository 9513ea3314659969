from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = "Règles et calcul cumac"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import precarity, selectors, zones
        from .models import ClimateZone, PrecarityCeiling, Rule

        post_save.connect(zones.clear_cache, sender=ClimateZone, dispatch_uid="rules.zones.clear_cache.save")
        post_delete.connect(zones.clear_cache, sender=ClimateZone, dispatch_uid="rules.zones.clear_cache.delete")
        post_save.connect(precarity.clear_cache, sender=PrecarityCeiling, dispatch_uid="rules.precarity.clear.save")
        post_delete.connect(precarity.clear_cache, sender=PrecarityCeiling, dispatch_uid="rules.precarity.clear.delete")
        post_save.connect(selectors.forget_rules, sender=Rule, dispatch_uid="rules.selectors.forget_rules.save")
        post_delete.connect(selectors.forget_rules, sender=Rule, dispatch_uid="rules.selectors.forget_rules.delete")
