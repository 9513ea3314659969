"""The installer portal, mounted under /portail/."""
from django.contrib.auth import views as auth_views
from django.urls import path

from ..webhooks import portal as webhooks
from . import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("connexion/", views.PortalLoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oublie/", views.PortalPasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", views.PortalPasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("mot-de-passe/changer/", views.PortalPasswordChangeView.as_view(), name="password_change"),
    path("dossiers/nouveau/", views.dossier_create, name="dossier_create"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier"),
    path("dossiers/<int:pk>/modifier/", views.dossier_edit, name="dossier_edit"),
    path("dossiers/<int:pk>/documents/", views.dossier_upload, name="dossier_upload"),
    path("dossiers/<int:pk>/soumettre/", views.dossier_submit, name="dossier_submit"),
    path("dossiers/<int:pk>/etat.json", views.dossier_status, name="dossier_status"),
    path("depot-groupe/", views.bulk_upload, name="bulk_upload"),
    path("paiements/", views.payments, name="payments"),
    path("entreprise/", views.company, name="company"),
    path("jetons/", views.tokens, name="tokens"),
    path("jetons/<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
    path("webhooks/", webhooks.webhooks, name="webhooks"),
    path("webhooks/<int:pk>/", webhooks.webhook_detail, name="webhook"),
    path("webhooks/<int:pk>/test/", webhooks.webhook_test, name="webhook_test"),
    path("webhooks/<int:pk>/reactiver/", webhooks.webhook_reactivate, name="webhook_reactivate"),
    path("webhooks/<int:pk>/supprimer/", webhooks.webhook_delete, name="webhook_delete"),
]
