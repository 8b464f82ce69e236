package io.testum.web;

import io.quarkus.qute.TemplateData;

/**
 * Types of other packages that page templates read: each gets a value resolver generated at build
 * time (see {@code TemplateDataTest}); the web package's own view records carry {@link TemplateData}
 * themselves.
 */
@TemplateData(target = io.testum.auth.ApiTokenService.Created.class)
@TemplateData(target = io.testum.auth.ApiTokenService.View.class)
@TemplateData(target = io.testum.auth.UserService.View.class)
@TemplateData(target = io.testum.common.Page.class)
@TemplateData(target = io.testum.gitops.SourceService.View.class)
@TemplateData(target = io.testum.deploy.KeyReachService.KeyReach.class)
@TemplateData(target = io.testum.deploy.KeyReachService.ManagedLogin.class)
@TemplateData(target = io.testum.deploy.PlatformConnector.SshTest.class)
@TemplateData(target = io.testum.deploy.HostKeyService.Standing.class)
@TemplateData(target = io.testum.inventory.HostKeyPins.Pin.class)
@TemplateData(target = io.testum.stats.Container.class)
@TemplateData(target = io.testum.stats.ContainerLogs.class)
@TemplateData(target = io.testum.schedules.ScheduleView.class)
@TemplateData(target = io.testum.alerts.AlertView.class)
@TemplateData(target = io.testum.alerts.DeliveryView.class)
@TemplateData(target = io.testum.runs.RunRequest.Targets.class)
@TemplateData(target = io.testum.deploy.UnmanagedKeyService.FingerprintGroup.class)
@TemplateData(target = io.testum.deploy.UnmanagedKeyService.RemovalPreview.class)
@TemplateData(target = io.testum.deploy.UnmanagedKeyService.UnmanagedKeyView.class)
@TemplateData(target = io.testum.inventory.PlatformView.class)
@TemplateData(target = io.testum.keys.AccessGrantView.class)
@TemplateData(target = io.testum.keys.CredentialRequests.Binding.class)
@TemplateData(target = io.testum.keys.CredentialView.class)
@TemplateData(target = io.testum.keys.KeyView.class)
@TemplateData(target = io.testum.runs.RunViews.Detail.class)
@TemplateData(target = io.testum.runs.RunViews.Group.class)
@TemplateData(target = io.testum.runs.RunViews.HostResult.class)
@TemplateData(target = io.testum.runs.RunViews.Summary.class)
@TemplateData(target = io.testum.stats.FleetStats.SourceState.class)
final class TemplateTypes {

    private TemplateTypes() {
    }
}
