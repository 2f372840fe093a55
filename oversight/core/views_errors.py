from django.shortcuts import render


def permission_denied(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "code": 403,
            "title": "无权访问",
            "message": str(exception or "") or "您的角色无权使用此功能。",
        },
        status=403,
    )


def not_found(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"code": 404, "title": "页面不存在", "message": "对象不存在或不在您的权限范围内。"},
        status=404,
    )
