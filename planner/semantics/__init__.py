"""What the rules mean, in one neutral place used by both the checker and the solver.

The checker (``planner.checker``, ``planner.checks``) asks *whether* a plan keeps a rule; the solver
(``solver/``) builds models that keep it.  Both take the meaning of the rule from here: who is eligible
(registrations, roles, the regiebehandelaar duty), how many staff a group needs (ratios, counts), when a
session occurs, what counts as a shortened daily rest.  Each function cites its seed line; the solver
imports nothing from the checker (``tests/test_semantics.py`` asserts it).
"""
