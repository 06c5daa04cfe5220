from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("otp/setup/", views.OTPSetupView.as_view(), name="otp_setup"),
    path("otp/verify/", views.OTPVerifyView.as_view(), name="otp_verify"),
    path("token/", views.TokenView.as_view(), name="api_token"),
]
