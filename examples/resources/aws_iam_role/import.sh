terraform import aws_iam_role.example example-role
