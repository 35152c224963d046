def exercise_list_open() -> list:
    return []
