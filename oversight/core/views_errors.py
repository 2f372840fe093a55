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


def bad_request(request, exception=None):
    from .params import BadParameter

    message = (
        str(exception)
        if isinstance(exception, BadParameter)
        else "请求的地址或提交的内容无法处理,请返回上一页检查后重试。"
    )
    return render(
        request,
        "core/error.html",
        {"code": 400, "title": "请求有误", "message": message},
        status=400,
    )


def server_error(request):
    # No context processors, no database: whatever failed may fail again.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
