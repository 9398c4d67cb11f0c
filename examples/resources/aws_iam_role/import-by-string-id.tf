import {
  to = aws_iam_role.example
  id = "example-role"
}
