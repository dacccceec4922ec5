print("motifd")
