from django.contrib.auth import views as auth_views
from django.views.generic import TemplateView

LoginView = auth_views.LoginView
LogoutView = auth_views.LogoutView
ProfileView = PasswordChangeView = OTPSetupView = OTPVerifyView = TokenView = TemplateView
