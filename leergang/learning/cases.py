"""The own case (M13): the participant's case, its entries per session, responses."""
