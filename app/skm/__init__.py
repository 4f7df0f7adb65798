"""The public service satisfaction survey (SKM, PermenPANRB 14/2017): its link, its form, and the IKM."""
