print("orchestra")
