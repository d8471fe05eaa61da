def build(corpus):
    pass
