from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("programs/pairings", api.PairingViewSet, basename="programs-pairing")
router.register("programs/projects", api.ProjectViewSet, basename="programs-project")
router.register("programs/donations", api.DonationViewSet, basename="programs-donation")
router.register("programs/candidates", api.CandidateViewSet, basename="programs-candidate")

urlpatterns = router.urls
