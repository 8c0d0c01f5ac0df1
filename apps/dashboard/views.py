from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from apps.villages.selectors import region_totals


@login_required
def home(request):
    return render(request, "dashboard/home.html", {"totals": region_totals(user=request.user)})
