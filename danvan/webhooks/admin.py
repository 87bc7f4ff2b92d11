from django.contrib import admin

from danvan.webhooks.models import Attempt, Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("url", "agency", "is_active", "created_at")
    exclude = ("secret",)

    def has_add_permission(self, request):
        return False  # created on the webhooks page, where the secret is shown once


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "status_code", "error", "duration_ms")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "subscription", "status", "attempts", "created_at")
    list_filter = ("status", "event")
    readonly_fields = ("idempotency_key", "payload", "attempts", "delivered_at")
    inlines = [AttemptInline]
