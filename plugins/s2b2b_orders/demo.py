def seed(report, *, now, seed):
    pass
