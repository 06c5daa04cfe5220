def assert_safe_to_serve():
    return None
